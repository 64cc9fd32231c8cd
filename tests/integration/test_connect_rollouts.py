"""Deploy's refusal clients match by its text ("rollout already in progress", the Rig CLI
compares it), alike over gRPC, Connect+proto and Connect+JSON on both stores. It runs once
capsule.Service serves Create and Deploy (issue 11's scenario grows as they arrive)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rigd.proto.api.v1.capsule import change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as capsule_pb
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.image import service_pb2 as image_pb
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.services.composition import Rigd
from tests.connect_client import PROTOCOLS, Clients, serving_every_protocol

CAPSULE = "/api.v1.capsule.Service/"
PROJECT, NAME, ENVIRONMENT = "shop", "web", "prod"
IN_PROGRESS = "rollout already in progress"


@pytest.fixture
def clients(rigd: Rigd) -> Iterator[Clients]:
    with serving_every_protocol(rigd) as clients:
        yield clients


def deploy_request(change: change_pb2.Change, *, force: bool) -> capsule_pb.DeployRequest:
    return capsule_pb.DeployRequest(project_id=PROJECT, capsule_id=NAME, environment_id=ENVIRONMENT, force=force,
                                    changes=[change])


def test_a_deploy_during_a_rollout_is_refused_alike_over_every_protocol(clients: Clients) -> None:
    created = clients.call("grpc", "/api.v1.project.Service/Create", project_pb.CreateRequest(project_id=PROJECT))
    assert created.code == "ok", created
    clients.call("grpc", "/api.v1.environment.Service/Create", environment_pb.CreateRequest(environment_id=ENVIRONMENT))
    created = clients.call("grpc", CAPSULE + "Create", capsule_pb.CreateRequest(project_id=PROJECT, name=NAME))
    assert created.code == "ok", created
    added = clients.call("grpc", "/api.v1.image.Service/Add", image_pb.AddRequest(
        project_id=PROJECT, capsule_id=NAME, image="nginx:1.27", skip_image_check=True))
    assert added.code == "ok", added
    first = clients.call("grpc", CAPSULE + "Deploy",
                         deploy_request(change_pb2.Change(image_id=added.response.image_id), force=True))
    assert first.code == "ok", first
    again = deploy_request(change_pb2.Change(replicas=2), force=False)
    refusals = [clients.call(protocol, CAPSULE + "Deploy", again) for protocol in PROTOCOLS]
    assert [(refusal.code, refusal.message) for refusal in refusals] == [("failed_precondition", IN_PROGRESS)] * 3
    # Connect's HTTP status for failed_precondition (the current Connect specification, as connect-go)
    assert refusals[1].http_status == refusals[2].http_status == 400
