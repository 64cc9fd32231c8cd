"""EventStore.load_together: several aggregates read in one query give what `load` gives each,
on SQLite and PostgreSQL, also when this process's kept copy is behind another process's save."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate

from rigd.domain.capsules import Capsule, capsule_aggregate_id
from rigd.domain.context import CommandContext
from rigd.domain.deploys import DeployRequest
from rigd.domain.environment_commands import EnvironmentSpec
from rigd.domain.environments import Environment
from rigd.domain.rollouts import Rollout, rollout_aggregate_id
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings

PROJECT, CAPSULE, ENVIRONMENT = "shop", "web", "prod"


@pytest.fixture
def store_only(settings: Settings) -> Iterator[Rigd]:
    rigd = build(settings)
    try:
        yield rigd
    finally:
        rigd.close()


def deploy(rigd: Rigd, image_id: str, replicas: int) -> None:
    rigd.capsules.deploys.deploy(CommandContext(), DeployRequest(
        PROJECT, CAPSULE, ENVIRONMENT, changes=[{"image_id": image_id}, {"replicas": replicas}], force=True))


def state(aggregate: Aggregate | None) -> Any:
    """What tells two loads of an aggregate apart: its version and attributes."""
    if aggregate is None:
        return None
    return aggregate.version, {key: value for key, value in vars(aggregate).items() if key != "_pending_events"}


def wanted() -> list[tuple[UUID, type[Aggregate]]]:
    return [(capsule_aggregate_id(PROJECT, CAPSULE), Capsule), (Environment.create_id(ENVIRONMENT), Environment),
            (rollout_aggregate_id(PROJECT, CAPSULE, 1), Rollout), (rollout_aggregate_id(PROJECT, CAPSULE, 2), Rollout),
            (rollout_aggregate_id(PROJECT, CAPSULE, 9), Rollout)]


def test_loading_together_gives_what_loading_each_gives(store_only: Rigd, settings: Settings) -> None:
    rigd, ctx = store_only, CommandContext()
    rigd.projects.create(ctx, PROJECT)
    rigd.environments.create(ctx, EnvironmentSpec(ENVIRONMENT))
    rigd.capsules.commands.create(ctx, PROJECT, CAPSULE)
    image_id = rigd.images.commands.add(ctx, PROJECT, CAPSULE, "nginx:1.27", skip_image_check=True)[1]
    deploy(rigd, image_id, 1)  # this process now keeps copies of the capsule and the environment
    together = rigd.store.load_together(wanted())
    assert [state(a) for a in together] == [state(rigd.store.load(i, kind)) for i, kind in wanted()]
    assert together[3] is None and together[4] is None
    other = build(settings)  # another process deploys: this one's kept capsule falls behind
    try:
        deploy(other, image_id, 2)
    finally:
        other.close()
    together = rigd.store.load_together(wanted())
    capsule = together[0]
    assert isinstance(capsule, Capsule) and capsule.current_rollout_id(ENVIRONMENT) == 2
    assert [state(a) for a in together] == [state(rigd.store.load(i, kind)) for i, kind in wanted()]
    assert together[3] is not None
