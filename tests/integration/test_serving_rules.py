"""Rules of the call path over the wire, on both stores: a saved change is never answered
with an error that invites a retry, configuration only seeds, and reflection speaks v1."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import grpc
import pytest
from grpc_reflection.v1alpha import reflection_pb2

from rigd.domain.environment_commands import EnvironmentSpec
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.environment import service_pb2_grpc as environment_grpc
from rigd.proto.api.v1.project import service_pb2 as pb
from rigd.proto.api.v1.project import service_pb2_grpc
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from tests.conftest import serving


@pytest.fixture
def lagging(settings: Settings) -> Iterator[Rigd]:
    """A rigd whose read models never catch up: its projector is not started."""
    rigd = build(replace(settings, read_timeout=2))
    try:
        yield rigd
    finally:
        rigd.close()


@pytest.fixture
def lagging_channel(lagging: Rigd) -> Iterator[grpc.Channel]:
    with serving(lagging) as channel:
        yield channel


def test_a_saved_change_answers_ok_from_its_events_when_read_models_lag(
    lagging: Rigd, lagging_channel: grpc.Channel
) -> None:
    projects = service_pb2_grpc.ServiceStub(lagging_channel)
    created = projects.Create(pb.CreateRequest(project_id="slow", initializers=[]), timeout=10)
    assert (created.project.project_id, created.project.name) == ("slow", "slow")
    assert created.project.installation_id
    assert created.project.created_at.seconds > 0
    timeouts = lagging.metrics.registry.get_sample_value(
        "rigd_read_your_writes_timeouts_total", {"read_model": "projects"})
    assert timeouts == 1
    with pytest.raises(grpc.RpcError) as again:  # the change was saved: a retry is told so
        projects.Create(pb.CreateRequest(project_id="slow"), timeout=10)
    assert again.value.code() == grpc.StatusCode.ALREADY_EXISTS


def test_the_wait_honours_the_clients_deadline(lagging_channel: grpc.Channel) -> None:
    projects = service_pb2_grpc.ServiceStub(lagging_channel)
    # read_timeout is 2 s: only a wait that ends before the client's deadline answers in time
    created = projects.Create(pb.CreateRequest(project_id="hurried"), timeout=0.6)
    assert created.project.project_id == "hurried"


def test_configuration_seeds_environments_once(settings: Settings) -> None:
    seeded = replace(settings, environments=(EnvironmentSpec("staging", "local"),))
    first = build(seeded)
    first.start()
    assert first.wait_for(first.store.max_notification_id(), ("environments",))
    try:
        with serving(first) as channel:
            environments = environment_grpc.ServiceStub(channel)
            assert [e.environment_id for e in environments.List(environment_pb.ListRequest()).environments] == [
                "staging"]
            environments.Delete(environment_pb.DeleteRequest(environment_id="staging"))
    finally:
        first.close()
    second = build(seeded)  # a restart with the same configuration
    try:
        second.projector.catch_up()
        assert second.environment_queries.all() == []  # the history says deleted, and so it stays
    finally:
        second.close()


def _reflect(channel: grpc.Channel, service: str) -> list[str]:
    info = channel.stream_stream(
        f"/{service}/ServerReflectionInfo",
        request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
        response_deserializer=reflection_pb2.ServerReflectionResponse.FromString,
    )
    responses = list(info(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=10))
    return [s.name for s in responses[0].list_services_response.service]


def test_reflection_answers_under_v1_and_v1alpha(channel: grpc.Channel) -> None:
    for service in ("grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"):
        names = _reflect(channel, service)
        assert len([n for n in names if n.startswith("api.v1.")]) == 12
        assert "grpc.reflection.v1.ServerReflection" in names
