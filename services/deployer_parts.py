"""The composition of the deployer role (called once by `composition.build`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rigd.adapters.cluster_drivers import ClusterDrivers
from rigd.adapters.leadership import LeaseLeadership
from rigd.adapters.secrets import Keyring
from rigd.domain.deployer import Deployer
from rigd.domain.event_store import EventStore
from rigd.domain.images import RegistryLogins
from rigd.projections.deployer import DeployerProcess
from rigd.projections.rollouts import RolloutQueries
from rigd.projections.wakeup import Wakeup


@dataclass
class DeployerParts:
    drivers: ClusterDrivers  # shared with the live RPCs (rigd.live), which close them
    process: DeployerProcess
    leadership: LeaseLeadership

    def start(self) -> None:
        # The drivers' background work (the local driver's restarts, retirements and cron
        # schedules) runs in the process that deploys.
        self.drivers.run_background()
        self.leadership.start()
        self.process.start()

    def stop(self) -> None:
        self.process.stop()
        self.leadership.stop()


def deployer_parts(drivers: ClusterDrivers, store: EventStore, keyring: Keyring, rollouts: RolloutQueries,
                   wakeup: Wakeup, leadership: LeaseLeadership, clusters: Sequence[str],
                   logins: RegistryLogins) -> DeployerParts:
    """`clusters`: the configured cluster ids (a follower each); `logins`: the docker registries'
    credentials (for clusters that create image pull secrets)."""
    deployer = Deployer(store, drivers, keyring, logins=logins)
    process = DeployerProcess(store, deployer, rollouts, wakeup, leadership, clusters)
    return DeployerParts(drivers, process, leadership)
