"""The protocol-neutral call path, without a network: gate before handler, deadlines,
refusals mapped to statuses, and servicers checked against the descriptors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from rigd.domain.context import Actor
from rigd.domain.errors import NotFound, PermissionDenied, Unauthenticated
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.services.access import ANONYMOUS, OpenGate
from rigd.services.call_path import Endpoint, ServicerMismatch, check_servicers, endpoints
from rigd.services.calls import Call, CallFailed, Incoming, Status
from rigd.services.metrics import Metrics
from rigd.services.rpcs import Rpc, all_rpcs

GET = next(rpc for rpc in all_rpcs() if rpc.path == "/api.v1.project.Service/Get")
DEPLOY = next(rpc for rpc in all_rpcs() if rpc.path == "/api.v1.capsule.Service/Deploy")
ADA = Actor("ada", "Ada", user_id="u-1")


class DenyAll:
    def __init__(self) -> None:
        self.asked: list[tuple[Actor, Any]] = []

    def authenticate(self, rpc: Rpc, headers: Mapping[str, str]) -> Actor:
        if headers.get("authorization") != "Bearer ada":
            raise Unauthenticated("no credentials")
        return ADA

    def authorize(self, principal: Actor, rpc: Rpc, request: Any) -> None:
        self.asked.append((principal, request))
        raise PermissionDenied(f"{rpc.name} is not allowed")


class Recording:
    def __init__(self) -> None:
        self.calls: list[Call] = []

    def Get(self, request: Any, call: Call) -> Any:
        self.calls.append(call)
        if request.project_id == "missing":
            raise NotFound("project 'missing' not found")
        return project_pb.GetResponse()


class AdmitAda:
    def authenticate(self, rpc: Rpc, headers: Mapping[str, str]) -> Actor:
        return ADA

    def authorize(self, principal: Actor, rpc: Rpc, request: Any) -> None:
        return None


def request(project_id: str = "shop") -> bytes:
    return bytes(project_pb.GetRequest(project_id=project_id).SerializeToString())


def test_the_call_carries_principal_request_id_and_deadline() -> None:
    servicer = Recording()
    endpoint = Endpoint(GET, servicer.Get, AdmitAda(), Metrics())
    incoming = Incoming({"x-request-id": "trace-1"}, timeout=30)
    endpoint.unary(request(), incoming, endpoint.request_id_of(incoming))
    call = servicer.calls[0]
    assert (call.principal, call.request_id, call.rpc) == (ADA, "trace-1", GET.path)
    assert call.remaining() is not None and 29 < call.remaining() <= 30  # type: ignore[operator]
    assert call.context().actor == ADA


def test_the_gate_decides_before_the_handler_even_for_unimplemented_rpcs() -> None:
    servicer = Recording()
    signed_in = Incoming({"authorization": "Bearer ada"})
    for rpc, handler in ((GET, servicer.Get), (DEPLOY, None)):
        gate = DenyAll()
        with pytest.raises(CallFailed) as refused:
            Endpoint(rpc, handler, gate, Metrics()).unary(request(), signed_in, "r")
        assert refused.value.status == Status.PERMISSION_DENIED
        assert gate.asked[0][0] == ADA  # authorization sees the caller and the parsed request
    assert gate.asked[0][1] is not None
    assert servicer.calls == []


def test_who_calls_is_asked_before_the_request_is_parsed() -> None:
    with pytest.raises(CallFailed) as refused:
        Endpoint(GET, Recording().Get, DenyAll(), Metrics()).unary(b"\xff\xff", Incoming({}), "r")
    assert refused.value.status == Status.UNAUTHENTICATED
    with pytest.raises(CallFailed) as unimplemented:
        Endpoint(DEPLOY, None, OpenGate(), Metrics()).unary(b"", Incoming({}), "r")
    assert unimplemented.value.status == Status.UNIMPLEMENTED


def test_a_call_whose_deadline_passed_is_not_carried_out() -> None:
    servicer = Recording()
    with pytest.raises(CallFailed) as late:
        Endpoint(GET, servicer.Get, OpenGate(), Metrics()).unary(request(), Incoming({}, timeout=0), "r")
    assert late.value.status == Status.DEADLINE_EXCEEDED
    assert servicer.calls == []


def test_refusals_and_surprises_become_statuses() -> None:
    servicer = Recording()
    endpoint = Endpoint(GET, servicer.Get, OpenGate(), Metrics())
    with pytest.raises(CallFailed) as missing:
        endpoint.unary(request("missing"), Incoming({}), "r")
    assert (missing.value.status, missing.value.message) == (Status.NOT_FOUND, "project 'missing' not found")
    with pytest.raises(CallFailed) as malformed:
        endpoint.unary(b"\xff\xff\xff", Incoming({}), "r")
    assert malformed.value.status == Status.INVALID_ARGUMENT

    def broken(_request: Any, _call: Call) -> Any:
        raise RuntimeError("secret detail")

    with pytest.raises(CallFailed) as internal:
        Endpoint(GET, broken, OpenGate(), Metrics()).unary(request(), Incoming({}), "rid-9")
    assert internal.value.status == Status.INTERNAL
    assert internal.value.message == "internal error (request id rid-9)"


def test_a_request_id_is_made_up_when_missing_or_unreasonable() -> None:
    endpoint = Endpoint(GET, None, OpenGate(), Metrics())
    assert endpoint.request_id_of(Incoming({"x-request-id": "abc"})) == "abc"
    for headers in ({}, {"x-request-id": "x" * 129}, {"x-request-id": "a\nb"}):
        made_up = endpoint.request_id_of(Incoming(headers))
        assert len(made_up) == 32 and made_up != headers.get("x-request-id")


def test_a_servicer_method_that_matches_no_rpc_stops_start_up() -> None:
    class Misspelt:
        def Craete(self, request: Any, call: Call) -> Any: ...

    with pytest.raises(ServicerMismatch, match=r"Misspelt.Craete matches no RPC of api.v1.project.Service"):
        endpoints({"api.v1.project.Service": Misspelt()}, OpenGate(), Metrics())
    with pytest.raises(ServicerMismatch, match="not a service of the API"):
        check_servicers({"api.v1.nothing.Service": Recording()})
    check_servicers({"api.v1.project.Service": Recording()})


def test_every_rpc_gets_an_endpoint() -> None:
    assert len(endpoints({}, OpenGate(), Metrics())) == 85
    assert ANONYMOUS.identifier == "anonymous"
