"""`KubernetesCluster`: the cluster driver for a Kubernetes cluster, through the official
`kubernetes` client's configuration and transport.

- apply: the rendered objects (`rendering.render_objects`) are applied server-side into the
  namespace of the environment's template, after a dry run of all of them; objects rigd wrote
  earlier that are no longer rendered are deleted (`applying.py`).
- instances are the capsule's Deployment pods (`rig.dev/capsule=<capsule>`; cron job pods do not
  carry that label), mapped in `pods.py`; restart deletes the pod (its ReplicaSet makes a new
  one); logs read the pod log endpoint (`pod_logs.py`); execute opens the exec websocket
  (`pod_exec.py`); metrics come from metrics.k8s.io and custom.metrics.k8s.io (`metrics.py`);
  job executions are the Jobs of the capsule's CronJobs (`jobs.py`).
- stop deletes every object rigd wrote for the capsule.

Errors: a cluster that cannot be reached, or that answers an error the driver has no better
meaning for, is `ClusterUnavailable` (with the API server's message); a pod that is not the
capsule's is `InstanceNotFound`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kubernetes import config as kube_config
from kubernetes.client import ApiClient, Configuration

from rigd.adapters.kubernetes import applying
from rigd.adapters.kubernetes.cluster_api import POD, ApiError, KindNotServed, KubeApi, label_selector
from rigd.adapters.kubernetes.jobs import job_executions
from rigd.adapters.kubernetes.metadata import CAPSULE_LABEL
from rigd.adapters.kubernetes.metrics import capsule_custom_metrics, object_custom_metrics, pod_metrics
from rigd.adapters.kubernetes.options import RenderOptions
from rigd.adapters.kubernetes.pod_exec import PodExecSession
from rigd.adapters.kubernetes.pod_logs import PodLogFeed
from rigd.adapters.kubernetes.pods import instance_state
from rigd.adapters.kubernetes.rendering import render_objects
from rigd.domain.cluster_driver import (
    AppliedObject,
    ApplyStage,
    CapsulePlace,
    ClusterDriver,
    ClusterUnavailable,
    CustomMetric,
    ExecFailed,
    ExecRequest,
    InstanceMetrics,
    InstanceNotFound,
    InstanceState,
    JobExecution,
    LogSelection,
    ObjectReference,
    Outcome,
    ProjectPlace,
)
from rigd.domain.errors import InvalidArgument
from rigd.domain.rendering import RenderTarget
from rigd.domain.rollout_config import Config


class KubeconfigError(ValueError):
    """The cluster's credentials cannot be loaded (the message names the file, never a secret)."""


class KubernetesCluster:
    def __init__(self, api: KubeApi, options: RenderOptions | None = None, log_poll: float = 2.0) -> None:
        """`log_poll`: how often a followed log looks for new instances and containers (seconds)."""
        self.api = api
        self.options = options or RenderOptions()
        self.log_poll = log_poll

    # -- the port ---------------------------------------------------------------------------

    def apply(self, target: RenderTarget, config: Config) -> list[AppliedObject]:
        with _answers():  # (reading the namespace's env sources)
            sources = applying.env_sources(self.api, target.namespace, target.capsule_id)
        try:
            objects = render_objects(target, config, self.options, sources)
        except InvalidArgument as error:  # e.g. an ingress this cluster cannot serve
            return [AppliedObject("capsule", target.capsule_id, Outcome.FAILED, ApplyStage.CONFIGURE,
                                  error.message, permanent=True)]
        with _answers():  # what is left: a server unwell, or rigd not allowed to list what it wrote
            return applying.apply_objects(self.api, target, config, objects)

    def instances(self, place: CapsulePlace, include_deleted: bool = False) -> list[InstanceState]:
        states = [instance_state(pod, place.capsule_id) for pod in self._pods(place)]
        states = [s for s in states if include_deleted or s.deleted_at is None]
        return sorted(states, key=lambda s: (s.created_at, s.instance_id))

    def stop(self, place: CapsulePlace) -> list[AppliedObject]:
        with _answers():
            return applying.delete_objects(self.api, applying.owned_objects(self.api, place))

    def restart(self, place: CapsulePlace, instance_id: str) -> None:
        self._pod(place, instance_id)
        with _answers(instance_id):
            self.api.call("DELETE", POD.item(place.namespace, instance_id))

    def logs(self, place: CapsulePlace, selection: LogSelection) -> PodLogFeed:
        wanted = selection.instance_id
        known = None if wanted is None else [self._container(place, self._pod(place, wanted))]

        def containers() -> list[tuple[str, int]]:
            nonlocal known
            if known is not None:  # the pod just read, not read again
                found, known = known, None
                return found
            if wanted is None:
                return [(s.instance_id, s.restarts) for s in self.instances(place)]
            try:
                return [self._container(place, self._pod(place, wanted))]
            except InstanceNotFound:
                return []  # gone meanwhile: nothing more to follow

        return PodLogFeed(self.api, place.namespace, containers, place.capsule_id, selection, self.log_poll)

    def execute(self, place: CapsulePlace, instance_id: str, request: ExecRequest) -> PodExecSession:
        pod = self._pod(place, instance_id)
        if pod.get("status", {}).get("phase") != "Running":
            raise ExecFailed(instance_id, "the instance is not running")
        if not request.command:
            raise ExecFailed(instance_id, "no command given")
        try:
            return PodExecSession.start(self.api, place.namespace, instance_id, place.capsule_id, request)
        except ApiError as error:
            raise ExecFailed(instance_id, error.message) from None

    def metrics(self, place: CapsulePlace, instance_id: str | None = None) -> list[InstanceMetrics]:
        if instance_id is not None:
            self._pod(place, instance_id)
        with _answers():
            return pod_metrics(self.api, place, instance_id)

    def job_executions(self, place: CapsulePlace, job_name: str | None = None) -> list[JobExecution]:
        with _answers():
            return job_executions(self.api, place, job_name)

    def custom_metrics(self, place: CapsulePlace) -> list[CustomMetric]:
        with _answers():
            return capsule_custom_metrics(self.api, place)

    def objects_by_kind(self, place: ProjectPlace, kind: str, api_version: str) -> list[ObjectReference]:
        """The objects of `kind` in the namespace; none when the cluster serves no such kind."""
        with _answers():
            try:
                resource = self.api.resource(api_version or "v1", kind)
            except KindNotServed:
                return []
            items = self.api.items(resource.collection(place.namespace))
        names = sorted(str(item["metadata"]["name"]) for item in items)
        return [ObjectReference(kind, name, api_version) for name in names]

    def object_metrics(self, place: ProjectPlace, reference: ObjectReference) -> list[CustomMetric]:
        with _answers():
            try:
                return object_custom_metrics(self.api, place.namespace, reference)
            except KindNotServed:
                return []

    # -- helpers ----------------------------------------------------------------------------

    def _pods(self, place: CapsulePlace) -> list[dict[str, Any]]:
        selector = label_selector({CAPSULE_LABEL: place.capsule_id})
        with _answers():
            return self.api.items(POD.collection(place.namespace), [("labelSelector", selector)])

    def _container(self, place: CapsulePlace, pod: dict[str, Any]) -> tuple[str, int]:
        return pod["metadata"]["name"], instance_state(pod, place.capsule_id).restarts

    def _pod(self, place: CapsulePlace, instance_id: str) -> dict[str, Any]:
        """The capsule's pod named `instance_id`; any other pod is not found."""
        with _answers(instance_id):
            pod = self.api.get_or_none(POD.item(place.namespace, instance_id))
        labels = (pod or {}).get("metadata", {}).get("labels") or {}
        if pod is None or labels.get(CAPSULE_LABEL) != place.capsule_id:
            raise InstanceNotFound(instance_id)
        return pod


@contextmanager
def _answers(instance_id: str | None = None) -> Iterator[None]:
    """API errors as the port's: a pod gone meanwhile is not found, anything else unavailable."""
    try:
        yield
    except ApiError as error:
        if error.status == 404 and instance_id is not None:
            raise InstanceNotFound(instance_id) from None
        raise _unavailable(error) from None


def _unavailable(error: ApiError) -> ClusterUnavailable:
    return ClusterUnavailable(f"the Kubernetes API answered {error.status} {error.reason}: {error.message}")


def kubernetes_driver(kubeconfig: str = "", context: str = "",
                      options: RenderOptions | None = None) -> KubernetesCluster:
    """The driver for the cluster a kubeconfig file (and its `context`, else its current
    one) names, or, without a file, the cluster rigd runs in (its service account)."""
    configuration = Configuration()
    try:
        if kubeconfig:
            kube_config.load_kube_config(config_file=kubeconfig, context=context or None,
                                         client_configuration=configuration, persist_config=False)
        else:
            kube_config.load_incluster_config(client_configuration=configuration)
    except (kube_config.ConfigException, OSError, ValueError) as error:
        where = f"kubeconfig {kubeconfig!r}" if kubeconfig else "the in-cluster service account"
        raise KubeconfigError(f"cannot load Kubernetes credentials from {where}: {error}") from None
    return KubernetesCluster(KubeApi(ApiClient(configuration)), options)


def _conforms(driver: KubernetesCluster) -> ClusterDriver:
    return driver  # mypy checks here that the Kubernetes driver implements the port


__all__ = ["KubeconfigError", "KubernetesCluster", "kubernetes_driver"]
