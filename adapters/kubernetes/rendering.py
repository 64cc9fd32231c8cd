"""The renderer: a pure function from a rollout's place and config to the Kubernetes objects,
those the platform writes (the Capsule, ConfigMaps, Secrets) and those the Rig operator derives
from them (ServiceAccount, Deployment, HPA, Services, Ingresses, CronJobs), in that order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from rigd.adapters.kubernetes.autoscaling import horizontal_pod_autoscaler
from rigd.adapters.kubernetes.cronjobs import cron_jobs
from rigd.adapters.kubernetes.deployment import deployment, service_account
from rigd.adapters.kubernetes.ingress import ingresses
from rigd.adapters.kubernetes.manifests import diff, documents, key
from rigd.adapters.kubernetes.network import services
from rigd.adapters.kubernetes.options import RenderOptions
from rigd.adapters.kubernetes.platform_objects import platform_objects
from rigd.domain.errors import InvalidArgument
from rigd.domain.rendering import DIFF_HEADER, RenderTarget
from rigd.domain.rollout_config import Config


def render_objects(target: RenderTarget, config: Config, options: RenderOptions | None = None,
                   cluster_sources: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Every object of the rollout, in a deterministic order (the platform's objects, then the
    operator's pipeline order). Secret data is in the objects: they are for the cluster.
    `cluster_sources`: what the operator reads of the namespace (`env_sources`).

    A capsule without an image gets only the platform's objects: the operator derives nothing
    from a Capsule it cannot run."""
    options = options or RenderOptions()
    written = written_objects(target, config, options)
    return written + operator_objects(written, options, cluster_sources)


def written_objects(target: RenderTarget, config: Config, options: RenderOptions) -> list[dict[str, Any]]:
    """The platform's objects (`platform_objects`), with a pull Secret only where the cluster
    creates them."""
    if not options.create_pull_secrets and target.pull_login is not None:
        target = replace(target, pull_login=None)
    return platform_objects(target, config)


def operator_objects(written: list[dict[str, Any]], options: RenderOptions,
                     cluster_sources: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """What the operator derives from the platform's objects (`platform_objects`) and the
    namespace's env sources, in its pipeline's order."""
    capsule = written[0]
    if not capsule["spec"]["image"]:
        return []
    config_objects = {(item["kind"], item["metadata"]["name"]): item for item in [*cluster_sources, *written[1:]]}
    autoscaler = horizontal_pod_autoscaler(capsule)
    derived = [service_account(capsule), deployment(capsule, config_objects, autoscaled=autoscaler is not None)]
    if autoscaler is not None:
        derived.append(autoscaler)
    derived += services(capsule)
    derived += ingresses(capsule, options)
    derived += cron_jobs(capsule, config_objects)
    return derived


class KubernetesRenderer:
    """The `Renderer` of the domain (domain/rendering.py) for a cluster with these options."""

    def __init__(self, options: RenderOptions | None = None) -> None:
        self.options = options or RenderOptions()

    def objects(self, target: RenderTarget, config: Config) -> list[dict[str, Any]]:
        return render_objects(target, config, self.options)

    def resource_yaml(
        self, target: RenderTarget, config: Config, current: tuple[RenderTarget, Config] | None
    ) -> dict[str, str]:
        """The objects the platform writes, one entry each: rig-ops decodes every entry as an
        object of its own and takes the operator's objects from the operator, so no other entry
        may be there. The Capsule's entry opens with the diff of every object, as comments."""
        objects = written_objects(target, config, self.options)
        entries = documents(objects)
        every = documents([*objects, *operator_objects(objects, self.options)])
        entries[key(objects[0])] = self._diff(target, every, current) + entries[key(objects[0])]
        return entries

    def _diff(self, target: RenderTarget, rendered: dict[str, str],
              current: tuple[RenderTarget, Config] | None) -> str:
        after_label = f"rollout {target.rollout_id}" if target.rollout_id else "this deploy"
        if current is None:
            return _commented(f"{DIFF_HEADER} no rollout is current here: every object is new\n"
                              + diff({}, rendered, "", after_label))
        current_target, current_config = current
        before_label = f"rollout {current_target.rollout_id}"
        try:
            before = documents(self.objects(current_target, current_config))
        except InvalidArgument as error:
            # e.g. the cluster's ingress settings changed since: the new rollout may fix it
            return _commented(f"{DIFF_HEADER} {before_label} cannot be rendered with today's cluster settings"
                              f" ({error.message})\n")
        changes = diff(before, rendered, before_label, after_label)
        return _commented(f"{DIFF_HEADER} what {after_label} changes against {before_label}"
                          f"{'' if changes else ': nothing'}\n{changes}")


def _commented(text: str) -> str:
    """Text as YAML comment lines, which a decoder skips."""
    return "".join(f"# {line}".rstrip() + "\n" for line in text.splitlines())
