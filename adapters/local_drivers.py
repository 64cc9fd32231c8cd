"""The cluster drivers the composition root gives today: a local driver per configured
cluster, whatever its type (`ClusterDriverSource` of domain.deployer).

Each cluster's driver keeps its instances under `root/<cluster id>`, so every process of one
data_dir shares them (a restarted rigd adopts what runs). A driver is made on first use and
kept. The background work of the local driver (replacing ended instances, retiring replaced
ones, cron schedules) runs only in the process that deploys: `run_background` starts it for
the drivers made so far and those made later."""

from __future__ import annotations

import threading
from pathlib import Path

from rigd.adapters.local_cluster.driver import LocalCluster
from rigd.domain.cluster_driver import ClusterDriver


class LocalDrivers:
    def __init__(self, root: Path) -> None:
        self._root = root
        self._drivers: dict[str, LocalCluster] = {}
        self._background = False
        self._lock = threading.Lock()

    def driver(self, cluster_id: str) -> ClusterDriver:
        return self.local(cluster_id)

    def local(self, cluster_id: str) -> LocalCluster:
        with self._lock:
            driver = self._drivers.get(cluster_id)
            if driver is None:
                driver = self._drivers[cluster_id] = LocalCluster(self._root / cluster_id)
                if self._background:
                    driver.start()
            return driver

    def run_background(self) -> None:
        with self._lock:
            if self._background:
                return
            self._background = True
            for driver in self._drivers.values():
                driver.start()

    def close(self) -> None:
        """Stops the background work; the instances keep running (a new driver adopts them)."""
        with self._lock:
            drivers, self._drivers, self._background = list(self._drivers.values()), {}, False
        for driver in drivers:
            driver.close()
