"""The composition of the cluster drivers and the live capsule RPCs (called once by
`composition.build`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rigd.adapters.cluster_drivers import ClusterDrivers, DriverFactory
from rigd.adapters.local_cluster.driver import LocalCluster
from rigd.domain.cluster_driver import ClusterDriver
from rigd.domain.clusters import Cluster, ClusterType
from rigd.domain.live_capsules import CapsulePlaces, LiveCapsules
from rigd.projections.capsule_places import ProjectEnvironmentPlaces
from rigd.projections.environments import EnvironmentQueries
from rigd.projections.projects import ProjectQueries
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

    KUBERNETES: the Kubernetes driver's factory goes here (`ClusterType.KUBERNETES: lambda
    cluster: ...`); until then a `k8s` cluster is refused with FAILED_PRECONDITION when used
    (adapters/cluster_drivers.py `NoDriverForCluster`). DOCKER has no driver."""

    def local(cluster: Cluster) -> ClusterDriver:
        return LocalCluster(local_cluster_root(settings, cluster))

    return {ClusterType.LOCAL: local}


def live_parts(settings: Settings, projects: ProjectQueries, environments: EnvironmentQueries,
               places: CapsulePlaces | None = None) -> LiveParts:
    """The drivers of the configured clusters and the live capsule RPCs' application. `places`
    defaults to the TEMPORARY resolver that checks project and environment only
    (projections/capsule_places.py); pass the capsule-backed one once capsules exist."""
    drivers = ClusterDrivers(settings.clusters, driver_factories(settings))
    return LiveParts(drivers, LiveCapsules(places or ProjectEnvironmentPlaces(projects, environments), drivers))
