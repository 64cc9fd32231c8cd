"""RBAC in front of the servicers, over gRPC on both stores: with a test-only authenticate
half (the principal named by a header) and a test-only Grants, an allowed call of an RPC
not implemented yet answers UNIMPLEMENTED and a denied one PERMISSION_DENIED."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import grpc
import pytest

from rigd.domain.context import Actor
from rigd.domain.permissions import BUILT_IN_ROLES, Permission
from rigd.proto.api.v1.capsule import change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as capsule_pb
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.services.access import ANONYMOUS
from rigd.services.composition import Rigd
from rigd.services.rbac_gate import Authorizer, CachedGrants, CheckingGate
from rigd.services.rpcs import Rpc
from tests.conftest import serving

PRINCIPAL_HEADER = "x-test-principal"


class HeaderAuthenticator:
    """Test only: the caller is whoever the header names (no header: anonymous)."""

    def authenticate(self, rpc: Rpc, headers: Mapping[str, str]) -> Actor:
        name = headers.get(PRINCIPAL_HEADER, "")
        return Actor(name, name, user_id=f"u-{name}") if name else ANONYMOUS


class RoleGrants:
    """Test only: each principal holds the built-in role of its name."""

    def permissions_of(self, actor: Actor) -> Sequence[Permission]:
        return BUILT_IN_ROLES.get(actor.identifier, ())


@pytest.fixture
def guarded(rigd: Rigd) -> Iterator[grpc.Channel]:
    grants = CachedGrants(RoleGrants(), rigd.projector.progress.generation)
    rigd.gate = CheckingGate(HeaderAuthenticator(), Authorizer(grants))
    with serving(rigd) as channel:
        yield channel


def call(channel: grpc.Channel, path: str, request: Any, response: Any, who: str = "") -> Any:
    metadata = ((PRINCIPAL_HEADER, who),) if who else None
    method = channel.unary_unary(
        path, request_serializer=type(request).SerializeToString, response_deserializer=response.FromString)
    return method(request, metadata=metadata, timeout=10)


def refusal(channel: grpc.Channel, path: str, request: Any, response: Any, who: str = "") -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as raised:
        call(channel, path, request, response, who)
    return raised.value


DEPLOY = "/api.v1.capsule.Service/Deploy"


def test_allowed_calls_reach_the_servicer_and_denied_ones_are_permission_denied(
    guarded: grpc.Channel,
) -> None:
    request = capsule_pb.DeployRequest(
        capsule_id="web", project_id="shop", environment_id="prod", changes=[change_pb2.Change(replicas=2)])
    allowed = refusal(guarded, DEPLOY, request, capsule_pb.DeployResponse, "developer")
    assert allowed.code() == grpc.StatusCode.NOT_FOUND  # the servicer's answer: no such capsule
    denied = refusal(guarded, DEPLOY, request, capsule_pb.DeployResponse, "viewer")
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "capsule:deploy" in (denied.details() or "")
    anonymous = refusal(guarded, DEPLOY, request, capsule_pb.DeployResponse)
    assert anonymous.code() == grpc.StatusCode.UNAUTHENTICATED


def test_allowed_calls_reach_the_servicer(guarded: grpc.Channel) -> None:
    create = project_pb.CreateRequest(project_id="shop")
    denied = refusal(guarded, "/api.v1.project.Service/Create", create, project_pb.CreateResponse, "owner")
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED and "project:edit" in (denied.details() or "")
    call(guarded, "/api.v1.project.Service/Create", create, project_pb.CreateResponse, "admin")
    got = call(guarded, "/api.v1.project.Service/Get", project_pb.GetRequest(project_id="shop"),
               project_pb.GetResponse, "viewer")
    assert got.project.project_id == "shop"


def execute(channel: grpc.Channel, who: str, *requests: capsule_pb.ExecuteRequest) -> grpc.RpcError:
    method = channel.stream_stream(
        "/api.v1.capsule.Service/Execute", request_serializer=capsule_pb.ExecuteRequest.SerializeToString,
        response_deserializer=capsule_pb.ExecuteResponse.FromString)
    with pytest.raises(grpc.RpcError) as raised:
        list(method(iter(requests), metadata=((PRINCIPAL_HEADER, who),), timeout=10))
    return raised.value


def test_a_bidirectional_stream_is_authorized_by_its_first_message(guarded: grpc.Channel) -> None:
    start = capsule_pb.ExecuteRequest(
        start=capsule_pb.ExecuteRequest.Start(capsule_id="web", instance_id="web-1"),
        project_id="shop", environment_id="prod")
    allowed = execute(guarded, "developer", start)  # reaches the servicer, which knows no project `shop`
    assert (allowed.code(), allowed.details()) == (grpc.StatusCode.NOT_FOUND, "project 'shop' not found")
    denied = execute(guarded, "viewer", start)
    assert denied.code() == grpc.StatusCode.PERMISSION_DENIED and "capsule:execute" in (denied.details() or "")
