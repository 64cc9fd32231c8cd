"""The Connect port against buf curl (connect-go, the Rig CLI's library) on both stores:
server reflection, so no schema is given; and the Execute bidi stream, which reaches the call
over HTTP/2 and is refused over HTTP/1.1 as connect-go refuses it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

import grpc
import pytest
from google.protobuf import json_format

from rigd.proto.api.v1.capsule import service_pb2 as capsule_pb
from rigd.services.composition import Rigd
from rigd.services.connect_api import NEEDS_HTTP2
from rigd.services.connect_reflection import SERVICES as REFLECTION_SERVICES
from rigd.services.rpcs import service_names
from tests.connect_client import Clients, serving_every_protocol
from tests.e2e.processes import node_tool

EXECUTE = "/api.v1.capsule.Service/Execute"
LOGS = "/api.v1.capsule.Service/Logs"
START = capsule_pb.ExecuteRequest(start=capsule_pb.ExecuteRequest.Start(capsule_id="web", command="ls"))


@pytest.fixture
def clients(rigd: Rigd) -> Iterator[Clients]:
    with serving_every_protocol(rigd) as clients:
        yield clients


def buf_curl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(node_tool("buf")), "curl", "--http2-prior-knowledge", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("protocol", ["connect", "grpc"])
@pytest.mark.parametrize("reflection", ["grpc-v1", "grpc-v1alpha"])
def test_buf_curl_lists_the_services_by_reflection(clients: Clients, protocol: str, reflection: str) -> None:
    listed = buf_curl("--protocol", protocol, "--reflect-protocol", reflection, "--list-services",
                      f"http://{clients.connect_address}")
    assert listed.returncode == 0, listed.stderr
    assert sorted(listed.stdout.split()) == sorted([*service_names(), *REFLECTION_SERVICES])


@pytest.mark.parametrize("protocol", ["connect", "grpc", "grpcweb"])
def test_buf_curl_calls_without_a_schema(clients: Clients, protocol: str) -> None:
    """Reflection tells buf the messages; the calls themselves go over `protocol`."""
    authorization = clients.headers["Authorization"]
    created = buf_curl("--protocol", protocol, "-H", f"Authorization: {authorization}",
                       "-d", '{"project_id": "reflected"}',
                       f"http://{clients.connect_address}/api.v1.project.Service/Create")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["project"]["projectId"] == "reflected"
    anonymous = buf_curl("--protocol", protocol, "-d", "{}",
                         f"http://{clients.connect_address}/api.v1.project.Service/List")
    assert anonymous.returncode != 0
    assert json.loads(anonymous.stderr)["code"] == "unauthenticated"


def test_buf_curl_streams_logs_as_grpc_answers(clients: Clients) -> None:
    """The Logs server stream, schema by reflection: what gRPC answers, Connect answers."""
    request = capsule_pb.LogsRequest(capsule_id="web", project_id="shop", environment_id="prod")
    over_grpc = clients.call("grpc", LOGS, request)
    authorization = clients.headers["Authorization"]
    over_connect = buf_curl("--protocol", "connect", "-H", f"Authorization: {authorization}",
                            "-d", json_format.MessageToJson(request), f"http://{clients.connect_address}{LOGS}")
    if over_grpc.code == "ok":
        assert over_connect.returncode == 0, over_connect.stderr
        return
    assert over_connect.returncode != 0
    assert json.loads(over_connect.stderr) == {"code": over_grpc.code, "message": over_grpc.message}


@pytest.mark.parametrize("as_json", [False, True], ids=["proto", "json"])
def test_execute_over_http1_is_refused_before_the_call(clients: Clients, as_json: bool) -> None:
    refused = clients.connect(EXECUTE, START, as_json=as_json)
    assert (refused.http_status, refused.code, refused.message) == (200, "unimplemented", NEEDS_HTTP2)


def test_execute_over_http2_reaches_the_call_as_over_grpc(clients: Clients) -> None:
    """Over HTTP/2 the stream is the call path's: the same answer as on the gRPC port."""
    over_grpc = clients.channel.stream_stream(
        EXECUTE, request_serializer=capsule_pb.ExecuteRequest.SerializeToString,
        response_deserializer=capsule_pb.ExecuteResponse.FromString)
    with pytest.raises(grpc.RpcError) as failed:
        list(over_grpc(iter([START]), metadata=(("authorization", clients.headers["Authorization"]),), timeout=30))
    authorization = clients.headers["Authorization"]
    over_connect = buf_curl("--protocol", "connect", "-H", f"Authorization: {authorization}",
                            "-d", json.dumps({"start": {"capsuleId": "web", "command": "ls"}}),
                            f"http://{clients.connect_address}{EXECUTE}")
    assert over_connect.returncode != 0
    error = json.loads(over_connect.stderr)
    assert error["message"] != NEEDS_HTTP2
    assert (error["code"], error["message"]) == (failed.value.code().name.lower(), failed.value.details())
