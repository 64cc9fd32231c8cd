"""The watcher records a running rollout's instance counts as they change, at most once per
COUNT_INTERVAL, and its instances step once DONE (the domain, with an in-memory store, a fake
driver that answers instances and a fake clock)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from rigd.domain.cluster_driver import CapsulePlace, InstanceState, Phase, Readiness
from rigd.domain.context import CommandContext, acting
from rigd.domain.deployer import COUNT_INTERVAL, Deployer
from rigd.domain.environments import Environment
from rigd.domain.event_store import EventStore
from rigd.domain.rollouts import Rollout
from rigd.projections import rollout_status

NOW = datetime(2026, 1, 2, tzinfo=UTC)


class Instances:
    """A cluster whose instances the test sets."""

    def __init__(self) -> None:
        self.now: list[InstanceState] = []

    def driver(self, cluster_id: str) -> Instances:
        return self

    def instances(self, place: CapsulePlace) -> list[InstanceState]:
        return list(self.now)

    def set(self, *states: tuple[int, Readiness]) -> None:
        self.now = [InstanceState(f"web-{n}", rollout_id, "python:3", NOW, NOW, Phase.RUNNING, readiness, 0)
                    for n, (rollout_id, readiness) in enumerate(states)]


class Running:
    def __init__(self, *keys: tuple[str, str, int]) -> None:
        self._keys = list(keys)

    def running(self) -> list[tuple[str, str, int]]:
        return self._keys


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store() -> EventStore:
    return EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})


def running_rollout(store: EventStore, replicas: int) -> Rollout:
    with acting(CommandContext()):
        environment = Environment("prod", "local", "")
        rollout = Rollout("shop", "web", "prod", 2, {"replicas": replicas}, [], "", False)
        rollout.configure([])
        rollout.create_resources([])
        rollout.start_running()
        store.record(environment, rollout)
    return rollout


def counted(store: EventStore, rollout: Rollout) -> list[tuple[str, Any]]:
    recorded = store.events.get(originator_id=rollout.id)
    return [(type(e).__name__, getattr(e, "num_ready", None)) for e in recorded
            if type(e).__name__ in ("InstancesCounted", "InstancesReady")]


def test_counts_are_recorded_as_they_change_at_most_once_an_interval_then_the_step_is_done(
        store: EventStore) -> None:
    rollout = running_rollout(store, replicas=2)
    cluster, clock = Instances(), Clock()
    deployer = Deployer(store, cluster, sealer=None, clock=clock)  # type: ignore[arg-type]
    deployer.resume(Running(("shop", "web", 2)))

    cluster.set((1, Readiness.READY), (1, Readiness.READY))  # the earlier rollout's, still there
    deployer.watch_once()  # nothing of this rollout's yet: the counts recorded are its first
    cluster.set((2, Readiness.NOT_READY), (1, Readiness.READY), (1, Readiness.READY))
    deployer.watch_once()  # changed, but within the interval of the last record
    assert counted(store, rollout) == [("InstancesCounted", 0)]
    clock.now += COUNT_INTERVAL
    deployer.watch_once()
    deployer.watch_once()  # the same counts again: nothing more
    clock.now += COUNT_INTERVAL
    deployer.watch_once()
    assert counted(store, rollout) == [("InstancesCounted", 0), ("InstancesCounted", 0)]
    cluster.set((2, Readiness.READY), (2, Readiness.NOT_READY), (1, Readiness.READY))
    clock.now += COUNT_INTERVAL
    deployer.watch_once()
    cluster.set((2, Readiness.READY), (2, Readiness.READY))
    deployer.watch_once()  # done: recorded at once, whatever the interval
    assert counted(store, rollout) == [("InstancesCounted", 0), ("InstancesCounted", 0),
                                       ("InstancesCounted", 1), ("InstancesReady", 2)]
    loaded = store.load(rollout.id, Rollout)
    assert loaded is not None and loaded.instances_done and loaded.instance_counts == (2, 1, 0, 1)
    assert deployer.watching() == []
    clock.now += COUNT_INTERVAL
    deployer.watch_once()
    assert len(counted(store, rollout)) == 4


def test_a_rollout_counts_nothing_once_its_step_is_over() -> None:
    with acting(CommandContext()):
        rollout = Rollout("shop", "web", "prod", 1, {"replicas": 1}, [], "", False)
        assert not rollout.count_instances(1, 0, 0, 0)  # not running yet
        rollout.configure([])
        rollout.create_resources([])
        assert rollout.start_running()
        assert not rollout.count_instances(0, 0, 0, 0)  # what the step starts from
        assert rollout.count_instances(1, 0, 0, 0)
        assert not rollout.count_instances(1, 0, 0, 0)
        rollout.complete_instances(1, 1, 0, 0)
        assert not rollout.count_instances(1, 0, 0, 0)


def test_the_read_models_instances_step_shows_the_counts_until_it_is_done() -> None:
    stages: rollout_status.Stages = {}
    rollout_status.running_started(stages, 1)
    step = stages["running"]["steps"][0]
    counts = {"num_updated": 1, "num_ready": 0, "num_stuck": 0, "num_wrong_version": 1}
    rollout_status.instances_counted(stages, counts, 2)
    assert (step["num_updated"], step["num_wrong_version"], step["state"], step["updated_at"]) == (
        1, 1, rollout_status.ONGOING, 2)
    rollout_status.instances_ready(stages, {**counts, "num_ready": 1, "num_wrong_version": 0}, 3)
    rollout_status.instances_counted(stages, counts, 4)  # (a count recorded late changes nothing)
    assert (step["num_ready"], step["num_wrong_version"], step["state"]) == (1, 0, rollout_status.DONE)
