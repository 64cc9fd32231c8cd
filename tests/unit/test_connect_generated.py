"""The Connect port serves every RPC through the application `protoc-gen-connectrpc` generated
for its service, each method forwarding to the RPC's one endpoint (driven here in-process,
as an ASGI server would)."""

from __future__ import annotations

import asyncio
from concurrent import futures
from typing import Any

import pytest

from rigd.proto.api.v1.project import project_pb2
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.services.access import OpenGate
from rigd.services.call_path import Endpoint
from rigd.services.calls import Call
from rigd.services.connect_api import Asgi, GeneratedMismatch, connect_application, method_name
from rigd.services.metrics import Metrics
from rigd.services.rpcs import all_rpcs


def got(request: project_pb.GetRequest, call: Call) -> project_pb.GetResponse:
    return project_pb.GetResponse(project=project_pb2.Project(project_id=f"{request.project_id} via {call.rpc}"))


def served(pool: futures.Executor, **handlers: Any) -> Asgi:
    endpoints = [Endpoint(rpc, handlers.get(rpc.path), OpenGate(), Metrics()) for rpc in all_rpcs()]
    return connect_application(endpoints, pool)


def post(app: Asgi, path: str, body: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
    """The status, headers and body of one unary `application/proto` POST."""
    scope = {"type": "http", "http_version": "1.1", "method": "POST", "scheme": "http", "path": path,
             "root_path": "", "query_string": b"", "headers": [(b"content-type", b"application/proto")]}
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # the client stays until the response is done
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(message for message in sent if message["type"] == "http.response.start")
    body_out = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body_out


def test_a_call_reaches_its_endpoint_through_the_generated_application() -> None:
    with futures.ThreadPoolExecutor(max_workers=1) as pool:
        app = served(pool, **{"/api.v1.project.Service/Get": got})
        status, headers, body = post(app, "/api.v1.project.Service/Get",
                                     project_pb.GetRequest(project_id="web").SerializeToString())
    assert status == 200, body
    assert project_pb.GetResponse.FromString(body).project.project_id == "web via /api.v1.project.Service/Get"
    assert len(headers[b"x-request-id"]) == 32


def test_an_rpc_without_a_servicer_is_unimplemented_and_an_unknown_service_not_found() -> None:
    with futures.ThreadPoolExecutor(max_workers=1) as pool:
        app = served(pool)
        status, _, body = post(app, "/api.v1.role.Service/List", b"")
        unknown, _, _ = post(app, "/api.v1.nothing.Service/Get", b"")
    assert (status, b"not implemented yet in rigd" in body) == (501, True)
    assert unknown == 404


def test_the_generated_methods_are_named_as_the_catalog_names_them() -> None:
    assert method_name("GetObjectsByKind") == "get_objects_by_kind"
    assert method_name("Get") == "get"
    every_rpc_but_one = [Endpoint(rpc, None, OpenGate(), Metrics()) for rpc in all_rpcs()
                         if rpc.path != "/api.v1.project.Service/PublicKey"]
    with futures.ThreadPoolExecutor(max_workers=1) as pool, pytest.raises(GeneratedMismatch, match="public_key"):
        connect_application(every_rpc_but_one, pool)
