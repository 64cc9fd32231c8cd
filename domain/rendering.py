"""The port through which a deploy shows what a rollout makes in the cluster.

The renderer is a pure function from a rollout's place and config to the Kubernetes objects
the Rig operator would produce; the Kubernetes adapter implements it. The domain asks for the
objects as YAML documents only for `dry_run`; the deployer has the cluster driver apply them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from rigd.domain.images import RegistryCredentials
from rigd.domain.rollout_config import Config

DIFF_HEADER = "rigd.dev/diff:"
"""The first words of the comments that open a dry run's Capsule entry: a unified diff of every
object the rollout makes (the operator's too) against what the current rollout makes."""


@dataclass(frozen=True)
class PullLogin:
    """The login a cluster pulls a rollout's image with: the credentials of the docker registry
    of the image's host (project settings). Never printed."""

    registry: str
    credentials: RegistryCredentials = field(repr=False)


@dataclass(frozen=True)
class RenderTarget:
    """Where a rollout runs: the capsule, its environment and the namespace the environment's
    template gives for the project; `pull_login` when its image's registry has credentials
    (the deployer gives it; a cluster that creates pull secrets writes one from it)."""

    project_id: str
    environment_id: str
    capsule_id: str
    namespace: str
    rollout_id: int
    force_override: bool = False
    pull_login: PullLogin | None = field(default=None, repr=False)


class Renderer(Protocol):
    def resource_yaml(
        self, target: RenderTarget, config: Config, current: tuple[RenderTarget, Config] | None
    ) -> dict[str, str]:
        """The objects the platform writes for the rollout (the Capsule, ConfigMaps, Secrets:
        rig-behavior 4.2 step 6), as YAML by `<kind>/<name>`, secret data redacted; the Capsule's
        entry opens with comments headed `DIFF_HEADER`. `config` holds secret file contents
        opened (the renderer needs them for checksums)."""
