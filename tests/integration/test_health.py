"""Health says NOT_SERVING while a read model is far behind, on both stores: after a
(re)start until the read models have reached the store's last event as of start-up, and
later while one stays more than the lag limit behind for the grace period."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from rigd.domain.context import CommandContext
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from rigd.services.server import ApiServer

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


@pytest.fixture
def unstarted(settings: Settings) -> Iterator[Rigd]:
    """A rigd whose projector has not started: events recorded now are not applied yet."""
    rigd = build(settings)
    try:
        yield rigd
    finally:
        rigd.close()


def eventually(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    ends = time.monotonic() + timeout
    while time.monotonic() < ends:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def status(channel: grpc.Channel) -> int:
    response = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
    return int(response.status)


def test_not_serving_until_the_read_models_reach_the_start_up_history(unstarted: Rigd) -> None:
    rigd = unstarted
    for number in range(40):
        rigd.projects.create(CommandContext(), f"behind-{number:02d}")
    server = ApiServer(rigd, listen="127.0.0.1:0")
    server.start()
    try:
        with grpc.insecure_channel(server.address) as channel:
            assert status(channel) == NOT_SERVING  # 40 projects recorded, none applied
            time.sleep(1.5)  # the monitor looks again: still behind, still not serving
            assert status(channel) == NOT_SERVING
            rigd.start()  # the projector catches up
            assert eventually(lambda: status(channel) == SERVING)
            assert rigd.project_queries.get("behind-39").project_id == "behind-39"
    finally:
        server.stop(grace=1)


def test_not_serving_while_a_read_model_stays_far_behind(
        unstarted: Rigd, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rigd.services.health.LAG_LIMIT", 20)
    monkeypatch.setattr("rigd.services.health.LAG_GRACE_SECONDS", 1.0)
    rigd = unstarted
    rigd.start()
    server = ApiServer(rigd, listen="127.0.0.1:0")
    server.start()
    try:
        with grpc.insecure_channel(server.address) as channel:
            assert eventually(lambda: status(channel) == SERVING)
            rigd.projector.stop()  # a stuck projector
            for number in range(30):
                rigd.projects.create(CommandContext(), f"stuck-{number:02d}")
            assert eventually(lambda: status(channel) == NOT_SERVING)
            rigd.projector.start()
            assert eventually(lambda: status(channel) == SERVING)
    finally:
        server.stop(grace=1)
