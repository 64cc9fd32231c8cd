"""The deployer retries a rollout whose objects the cluster refuses with errors a retry might
cure, backing off, and gives it up after GIVE_UP_ATTEMPTS so its cluster's later rollouts go
on; a cluster it cannot reach is waited for without end (the domain, with an in-memory store,
a fake driver and a fake clock)."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.application import ProcessingEvent

from rigd.domain.cluster_driver import AppliedObject, ApplyStage, Outcome
from rigd.domain.context import CommandContext, acting
from rigd.domain.deployer import BACKOFF_CAP, GIVE_UP_ATTEMPTS, Deployer, RetryLater
from rigd.domain.environments import Environment
from rigd.domain.errors import Unavailable
from rigd.domain.event_store import EventStore
from rigd.domain.rendering import RenderTarget
from rigd.domain.rollouts import FAILED, STOPPED, Rollout
from tests.unit.test_instance_counts import Clock


class Refusing:
    """A cluster whose webhook answers 500 for the Deployment, or that cannot be reached."""

    def __init__(self, reachable: bool = True) -> None:
        self.reachable = reachable
        self.attempts = 0

    def driver(self, cluster_id: str) -> Refusing:
        return self

    def apply(self, target: RenderTarget, config: Any) -> list[AppliedObject]:
        self.attempts += 1
        if not self.reachable:
            raise Unavailable("the cluster cannot be reached")
        return [AppliedObject("deployment", "web", Outcome.FAILED, ApplyStage.RESOURCE_CREATION,
                              "admission webhook answered 500")]


@pytest.fixture
def store() -> EventStore:
    return EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})


def created(store: EventStore) -> tuple[Rollout, Any]:
    with acting(CommandContext()):
        rollout = Rollout("shop", "web", "prod", 1, {"replicas": 1, "image_id": "nginx:1.27"}, [], "", False,
                          "local", "shop")
        store.record(Environment("prod", "local", ""), rollout)
    return rollout, next(iter(store.events.get(originator_id=rollout.id)))


def test_a_rollout_the_cluster_keeps_refusing_fails_after_the_last_attempt(store: EventStore) -> None:
    rollout, event = created(store)
    cluster, clock = Refusing(), Clock()
    deployer = Deployer(store, cluster, sealer=None, clock=clock)  # type: ignore[arg-type]
    for _ in range(GIVE_UP_ATTEMPTS - 1):
        with pytest.raises(RetryLater):
            deployer.react(event, ProcessingEvent())
        with pytest.raises(RetryLater, match="backing off"):  # not before its back-off has passed
            deployer.react(event, ProcessingEvent())
        clock.now += BACKOFF_CAP
    effects = ProcessingEvent()
    deployer.react(event, effects)
    assert cluster.attempts == GIVE_UP_ATTEMPTS
    given_up = effects.aggregates[rollout.id]
    assert isinstance(given_up, Rollout) and (given_up.state, given_up.result) == (STOPPED, FAILED)
    assert f"given up after {GIVE_UP_ATTEMPTS} attempts" in given_up.last_error


def test_a_cluster_that_cannot_be_reached_is_waited_for_without_end(store: EventStore) -> None:
    _, event = created(store)
    cluster, clock = Refusing(reachable=False), Clock()
    deployer = Deployer(store, cluster, sealer=None, clock=clock)  # type: ignore[arg-type]
    for _ in range(GIVE_UP_ATTEMPTS + 2):
        with pytest.raises(RetryLater):
            deployer.react(event, ProcessingEvent())
        clock.now += BACKOFF_CAP
    assert cluster.attempts == GIVE_UP_ATTEMPTS + 2
