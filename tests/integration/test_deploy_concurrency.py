"""Concurrent Deploys of one capsule, on SQLite and PostgreSQL: the event store decides.
Of 50 Deploys naming the same current rollout exactly one makes a new rollout and the others
are ABORTED; Deploys racing without naming one get ids without gaps or duplicates."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest

from rigd.proto.api.v1.capsule import change_pb2 as c
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule import service_pb2_grpc as capsule_grpc
from rigd.proto.model import common_pb2
from rigd.services.composition import Rigd
from tests.integration.test_capsules import (
    CAPSULE,
    ENVIRONMENT,
    NGINX_ID,
    PROJECT,
    deploy,
    prepared_capsules,
)


@pytest.fixture
def capsules(channel: grpc.Channel) -> capsule_grpc.ServiceStub:
    return prepared_capsules(channel)

CONCURRENT = 50


def outcome(capsules: capsule_grpc.ServiceStub, replicas: int, current_rollout_id: int) -> tuple[str, int]:
    try:
        answer = deploy(capsules, c.Change(replicas=replicas), current_rollout_id=current_rollout_id)
    except grpc.RpcError as error:
        return error.code().name, 0
    return "OK", answer.rollout_id


def race(capsules: capsule_grpc.ServiceStub, current_rollout_id: int) -> list[tuple[str, int]]:
    with ThreadPoolExecutor(CONCURRENT) as pool:
        return list(pool.map(lambda n: outcome(capsules, n + 1, current_rollout_id), range(CONCURRENT)))


def rollout_ids(capsules: capsule_grpc.ServiceStub) -> list[int]:
    listed = capsules.ListRollouts(pb.ListRolloutsRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                                          environment_id=ENVIRONMENT,
                                                          pagination=common_pb2.Pagination(limit=1000)))
    return [r.rollout_id for r in listed.rollouts]


def test_of_50_deploys_naming_the_current_rollout_exactly_one_wins(
        rigd: Rigd, capsules: capsule_grpc.ServiceStub) -> None:
    assert deploy(capsules, c.Change(image_id=NGINX_ID)).rollout_id == 1
    outcomes = race(capsules, current_rollout_id=1)
    assert sorted(code for code, _ in outcomes) == ["ABORTED"] * (CONCURRENT - 1) + ["OK"]
    assert [rollout_id for code, rollout_id in outcomes if code == "OK"] == [2]
    assert rollout_ids(capsules) == [1, 2]
    # the winner's config is the one recorded: its replicas and nobody else's
    winner = next(n + 1 for n, (code, _) in enumerate(outcomes) if code == "OK")
    got = capsules.GetRollout(pb.GetRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=2))
    assert got.rollout.config.replicas == winner


def test_racing_deploys_get_rollout_ids_without_gaps_or_duplicates(
        capsules: capsule_grpc.ServiceStub) -> None:
    deploy(capsules, c.Change(image_id=NGINX_ID))
    outcomes = race(capsules, current_rollout_id=0)
    won = sorted(rollout_id for code, rollout_id in outcomes if code == "OK")
    assert {code for code, _ in outcomes} <= {"OK", "ABORTED"}
    assert won and won == list(range(2, 2 + len(won)))
    assert rollout_ids(capsules) == [1, *won]
