"""The composition of the deployer role (called once by `composition.build`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rigd.adapters.leadership import LeaseLeadership
from rigd.adapters.local_drivers import LocalDrivers
from rigd.adapters.secrets import Keyring
from rigd.domain.deployer import Deployer
from rigd.domain.event_store import EventStore
from rigd.projections.deployer import DeployerProcess
from rigd.projections.rollouts import RolloutQueries
from rigd.projections.wakeup import Wakeup


@dataclass
class DeployerParts:
    drivers: LocalDrivers  # the merge with ClusterDrivers replaces this by the driver per cluster type
    process: DeployerProcess
    leadership: LeaseLeadership

    def start(self) -> None:
        self.drivers.run_background()
        self.leadership.start()
        self.process.start()

    def stop(self) -> None:
        self.process.stop()
        self.leadership.stop()
        self.drivers.close()


def deployer_parts(data_dir: Path, store: EventStore, keyring: Keyring, rollouts: RolloutQueries, wakeup: Wakeup,
                   leadership: LeaseLeadership) -> DeployerParts:
    drivers = LocalDrivers(data_dir / "clusters")
    deployer = Deployer(store, drivers, keyring)
    return DeployerParts(drivers, DeployerProcess(store, deployer, rollouts, wakeup, leadership), leadership)
