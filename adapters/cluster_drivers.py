"""`ClusterDrivers`: the driver of each configured cluster, by the cluster's type.

The composition root hands it one factory per cluster type it can drive (the local driver
for `local`; the Kubernetes driver for `k8s` once it exists). A driver is made on first use
and kept: one per cluster per process, so its state (the local driver's adopted processes,
a Kubernetes client's connections) is shared by every caller. A configured cluster whose
type has no factory is refused when used, not at start-up: configurations that name such
clusters still serve everything else (environments, cluster configs)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from rigd.domain.cluster_driver import ClusterDriver
from rigd.domain.clusters import Cluster, Clusters, ClusterType
from rigd.domain.errors import FailedPrecondition
from rigd.domain.naming import quoted

DriverFactory = Callable[[Cluster], ClusterDriver]


class NoDriverForCluster(FailedPrecondition):
    def __init__(self, cluster: Cluster) -> None:
        super().__init__(
            f"cluster {quoted(cluster.cluster_id)} is of type {cluster.type.value!r}, "
            "and this rigd has no driver for that type"
        )


class ClusterDrivers:
    """See the module's description. Safe to use from several threads."""

    def __init__(self, clusters: Clusters, factories: Mapping[ClusterType, DriverFactory]) -> None:
        self._clusters = clusters
        self._factories = dict(factories)
        self._drivers: dict[str, ClusterDriver] = {}
        self._lock = threading.Lock()
        self._background = False

    def driver(self, cluster_id: str) -> ClusterDriver:
        """The driver of the configured cluster `cluster_id` (NotFound for an unknown one)."""
        cluster = self._clusters.get(cluster_id)
        with self._lock:
            driver = self._drivers.get(cluster_id)
            if driver is None:
                factory = self._factories.get(cluster.type)
                if factory is None:
                    raise NoDriverForCluster(cluster)
                driver = self._drivers[cluster_id] = factory(cluster)
                if self._background:
                    _start_background(driver)
            return driver

    def run_background(self) -> None:
        """Runs the background work of the drivers made so far and of those made later (the
        local driver's: replacing ended instances, retiring replaced ones, cron schedules);
        the deployer's process does, a process that only answers queries need not."""
        with self._lock:
            if self._background:
                return
            self._background = True
            for driver in self._drivers.values():
                _start_background(driver)

    def made(self) -> list[ClusterDriver]:
        """The drivers made so far."""
        with self._lock:
            return list(self._drivers.values())

    def close(self) -> None:
        """Stops the drivers' background work (those that have any); what they run keeps running."""
        for driver in self.made():
            close: Callable[[], None] | None = getattr(driver, "close", None)
            if close is not None:
                close()


def _start_background(driver: ClusterDriver) -> None:
    start: Callable[[], None] | None = getattr(driver, "start", None)
    if start is not None:
        start()
