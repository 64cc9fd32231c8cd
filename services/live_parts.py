"""The composition of the cluster drivers and the live capsule RPCs (called once by
`composition.build`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from rigd.adapters.cluster_drivers import ClusterDrivers, DriverFactory
from rigd.adapters.local_cluster.driver import LocalCluster
from rigd.domain.cluster_driver import ClusterDriver
from rigd.domain.clusters import Cluster, ClusterType
from rigd.domain.errors import FailedPrecondition
from rigd.domain.live_capsules import LiveCapsules
from rigd.domain.naming import quoted
from rigd.projections.capsule_places import ReadModelPlaces
from rigd.projections.capsules import CapsuleQueries
from rigd.projections.environments import EnvironmentQueries
from rigd.projections.projects import ProjectQueries
from rigd.services.capsule_parts import DEFAULT_RENDER_OPTIONS
from rigd.services.config import Settings


@dataclass
class LiveParts:
    drivers: ClusterDrivers
    capsules: LiveCapsules

    def close(self) -> None:
        self.drivers.close()


def local_cluster_root(settings: Settings, cluster: Cluster) -> Path:
    """Where the local driver of `cluster` keeps its instances (shared by every process of
    this data_dir: a restarted rigd adopts what is running)."""
    return settings.data_dir / "clusters" / cluster.cluster_id


def driver_factories(settings: Settings) -> dict[ClusterType, DriverFactory]:
    """The driver of each cluster type this rigd can drive.

    A `k8s` cluster uses the configured kubeconfig (and context), or without one the cluster rigd
    runs in; credentials that cannot be loaded refuse the call that needed them with
    FAILED_PRECONDITION naming the file. DOCKER has no driver (NoDriverForCluster)."""

    def local(cluster: Cluster) -> ClusterDriver:
        return LocalCluster(local_cluster_root(settings, cluster))

    def kubernetes(cluster: Cluster) -> ClusterDriver:
        # (loaded by the first k8s cluster: the client library takes a quarter of a second to
        # import, which every rigd command, most with no such cluster, would pay otherwise)
        from rigd.adapters.kubernetes.driver import KubeconfigError, kubernetes_driver

        try:
            options = replace(DEFAULT_RENDER_OPTIONS, create_pull_secrets=cluster.create_pull_secrets)
            return kubernetes_driver(settings.kubeconfig, settings.kube_context, options)
        except KubeconfigError as error:
            raise FailedPrecondition(f"cluster {quoted(cluster.cluster_id)}: {error}") from None

    return {ClusterType.LOCAL: local, ClusterType.KUBERNETES: kubernetes}


def live_parts(settings: Settings, projects: ProjectQueries, environments: EnvironmentQueries,
               capsules: CapsuleQueries) -> LiveParts:
    """The drivers of the configured clusters and the live capsule RPCs' application."""
    drivers = ClusterDrivers(settings.clusters, driver_factories(settings))
    places = ReadModelPlaces(projects, environments, capsules)
    return LiveParts(drivers, LiveCapsules(places, drivers))
