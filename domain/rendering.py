"""The port through which a deploy shows what a rollout makes in the cluster.

The renderer is a pure function from a rollout's place and config to the Kubernetes objects
the Rig operator would produce; the Kubernetes adapter implements it. The domain asks for the
objects as YAML documents only for `dry_run`; the deployer (later) applies the objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rigd.domain.rollout_config import Config

DIFF_KEY = "rigd.dev/diff"
"""The extra `resource_yaml` entry holding a unified diff against the current rollout's objects;
every other entry is one object, keyed `<kind>/<name>` (lower-case kind)."""


@dataclass(frozen=True)
class RenderTarget:
    """Where a rollout runs: the capsule, its environment and the namespace the environment's
    template gives for the project."""

    project_id: str
    environment_id: str
    capsule_id: str
    namespace: str
    rollout_id: int
    force_override: bool = False


class Renderer(Protocol):
    def resource_yaml(
        self, target: RenderTarget, config: Config, current: tuple[RenderTarget, Config] | None
    ) -> dict[str, str]:
        """Every object the rollout makes, as YAML by `<kind>/<name>`, secret data redacted,
        plus `DIFF_KEY`: the unified diff from what `current` renders (empty without one).
        `config` holds secret file contents opened (the renderer needs them for checksums)."""
