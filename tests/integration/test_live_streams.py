"""Execute and Logs at their edges, through the API on both stores: a terminal, refused
messages, a client that leaves mid-command, a crash-looping capsule's status and the logs of
its previous container; and both streams over Connect (Logs over HTTP/1.1, Execute over HTTP/2
with buf curl, since Connect bidi streams need HTTP/2)."""

from __future__ import annotations

import contextlib
import http.client
import json
import struct
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import json_format

from rigd.domain.clusters import Clusters
from rigd.domain.rendering import RenderTarget
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule.instance import status_pb2
from rigd.services.composition import Rigd
from rigd.services.config import Settings
from rigd.services.server import ApiServer
from tests.connect_client import END_STREAM
from tests.e2e.processes import node_tool
from tests.live_capsules import CAPSULE, KUBERNETES, LOCAL, WHERE, call, execute
from tests.local_cluster import http_config, wait_for
from tests.principals import admin_authorization

EXECUTE = CAPSULE + "Execute"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, clusters=Clusters((LOCAL, KUBERNETES)))


def start(instance_id: str, *argv: str, **options: object) -> pb.ExecuteRequest:
    return pb.ExecuteRequest(
        start=pb.ExecuteRequest.Start(capsule_id="web", instance_id=instance_id, command=argv[0],
                                      arguments=argv[1:], **options),  # type: ignore[arg-type]
        project_id="shop", environment_id="prod")


def execute_stream(channel: grpc.Channel, requests: Iterator[pb.ExecuteRequest]) -> grpc.Future:
    method = channel.stream_stream(EXECUTE, request_serializer=pb.ExecuteRequest.SerializeToString,
                                   response_deserializer=pb.ExecuteResponse.FromString)
    return method(requests, timeout=60)


def refused(channel: grpc.Channel, *requests: pb.ExecuteRequest) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as raised:
        list(execute_stream(channel, iter(requests)))
    return raised.value


def test_a_terminal_of_the_asked_size(shop: grpc.Channel, instance: str) -> None:
    tty = pb.ExecuteRequest.Resize(height=30, width=100)
    responses = list(execute_stream(shop, iter([start(instance, "stty", "size", tty=tty)])))
    assert b"".join(r.stdout.data for r in responses[:-1]).strip() == b"30 100"
    assert responses[-1].exit_code == 0


def test_refused_executions(shop: grpc.Channel, instance: str) -> None:
    resize = pb.ExecuteRequest(resize=pb.ExecuteRequest.Resize(height=1, width=1), project_id="shop",
                               environment_id="prod")
    first = refused(shop, resize)
    assert (first.code(), first.details()) == (
        grpc.StatusCode.INVALID_ARGUMENT, "the first message of Execute must be a start request")
    unknown = refused(shop, start("nope", "true"))
    assert (unknown.code(), unknown.details()) == (grpc.StatusCode.NOT_FOUND, "instance 'nope' not found")
    twice = refused(shop, start(instance, "sleep", "30"), start(instance, "true"))
    assert (twice.code(), twice.details()) == (
        grpc.StatusCode.INVALID_ARGUMENT, "Execute takes one start message, the first")
    missing = refused(shop, start(instance, "/no/such/command"))
    assert missing.code() == grpc.StatusCode.FAILED_PRECONDITION


def processes_running(marker: str) -> list[int]:
    """The processes with `marker` as one of their arguments."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue  # it ended meanwhile
            if marker.encode() in argv:
                found.append(int(entry.name))
    return found


def test_a_client_that_leaves_ends_its_command(shop: grpc.Channel, instance: str) -> None:
    marker = "31.25"  # `sleep 31.25`: a process no one else runs
    leave = threading.Event()

    def requests() -> Iterator[pb.ExecuteRequest]:
        yield start(instance, "sleep", marker, interactive=True)
        leave.wait(60)  # the client keeps its side open until it leaves

    running = execute_stream(shop, requests())
    wait_for(lambda: processes_running(marker), "the command to run")
    running.cancel()
    leave.set()
    wait_for(lambda: not processes_running(marker), "the command to end once its client left")


def test_a_crash_looping_instance_and_its_previous_container(rigd: Rigd, shop: grpc.Channel) -> None:
    crashing = http_config(replicas=1, network={"interfaces": []}, container_settings={
        "command": "sh", "args": ["-c", "echo ran-once; exit 3"]})
    rigd.live.drivers.driver("local").apply(RenderTarget("shop", "prod", "web", "shop", 1), crashing)

    def crash_looping() -> pb.GetInstanceStatusResponse | None:
        statuses = call(shop, CAPSULE + "ListInstanceStatuses", pb.ListInstanceStatusesRequest(**WHERE)).instances
        steps = [step.ready for s in statuses for step in s.stages.running.steps if step.HasField("ready")]
        # restarted at least once, so that there is a previous container
        looping = [s for s in statuses if steps and steps[0].state == status_pb2.READY_STATE_CRASH_LOOP_BACKOFF
                   and s.stages.running.restarts >= 1]
        return looping[0] if looping else None

    status = wait_for(crash_looping, "CrashLoopBackOff")
    running = status.stages.running
    assert running.info.state == status_pb2.STAGE_STATE_FAILED
    assert running.last_container_termination.exit_code == 3 and running.restarts >= 1
    ready = running.steps[0].ready
    assert ready.fail_count >= 1 and ready.HasField("failed_at")

    logs = shop.unary_stream(CAPSULE + "Logs", request_serializer=pb.LogsRequest.SerializeToString,
                             response_deserializer=pb.LogsResponse.FromString)
    previous = list(logs(pb.LogsRequest(**WHERE, instance_id=status.instance_id, previous_containers=True),
                         timeout=30))
    kinds = [r.log.message.WhichOneof("message") for r in previous]
    assert kinds == ["stdout", "container_termination"]
    assert previous[0].log.message.stdout == b"ran-once\n"


def envelope(message: Any) -> bytes:
    data = message.SerializeToString()
    return struct.pack(">BI", 0, len(data)) + data


def read_envelope(response: http.client.HTTPResponse) -> tuple[int, bytes]:
    flags, length = struct.unpack(">BI", response.read(5))
    return flags, response.read(length)


@pytest.fixture
def connect_address(rigd: Rigd) -> Iterator[str]:
    server = ApiServer(rigd, listen="127.0.0.1:0", connect_listen="127.0.0.1:0")
    server.start()
    try:
        assert server.connect is not None
        yield server.connect.address
    finally:
        server.stop(grace=1)


def post_stream(rigd: Rigd, address: str, path: str, body: bytes) -> tuple[http.client.HTTPConnection,
                                                                          http.client.HTTPResponse]:
    host, _, port = address.rpartition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("POST", path, body=body, headers={
        "Content-Type": "application/connect+proto", "Authorization": admin_authorization(rigd)})
    response = connection.getresponse()
    assert response.status == 200
    return connection, response


def test_execute_over_connect_http2_with_buf_curl(rigd: Rigd, instance: str, connect_address: str) -> None:
    """Execute over Connect as connect-go (the Rig CLI's library) speaks it: HTTP/2 with prior
    knowledge, the start message and then stdin, the output and the exit code back."""
    stdin = pb.ExecuteRequest(stdin=pb.StreamData(data=b"over connect", closed=True))
    messages = [json_format.MessageToDict(message) for message in (start(instance, "cat", interactive=True), stdin)]
    answered = subprocess.run(
        [str(node_tool("buf")), "curl", "--http2-prior-knowledge", "--protocol", "connect",
         "-H", f"Authorization: {admin_authorization(rigd)}", "-d", "@-", f"http://{connect_address}{EXECUTE}"],
        input="\n".join(json.dumps(message) for message in messages), capture_output=True, text=True, timeout=120)
    assert answered.returncode == 0, answered.stderr
    decoder, text, responses = json.JSONDecoder(), answered.stdout.strip(), []
    while text:
        response, end = decoder.raw_decode(text)
        responses.append(json_format.ParseDict(response, pb.ExecuteResponse()))
        text = text[end:].strip()
    assert b"".join(r.stdout.data for r in responses[:-1]) == b"over connect"
    assert responses[-1].WhichOneof("response") == "exit_code" and responses[-1].exit_code == 0


def test_followed_logs_over_connect_end_when_the_client_leaves(
    rigd: Rigd, shop: grpc.Channel, instance: str, connect_address: str
) -> None:
    request = pb.LogsRequest(**WHERE, instance_id=instance, follow=True)
    connection, response = post_stream(rigd, connect_address, CAPSULE + "Logs", envelope(request))
    with contextlib.closing(connection):
        output, _ = execute(shop, instance, "printenv", "PORT")
        with urllib.request.urlopen(f"http://127.0.0.1:{int(output)}/?over=connect", timeout=10):
            pass
        while True:
            flags, data = read_envelope(response)
            assert not flags & END_STREAM, data
            if b"GET /?over=connect" in pb.LogsResponse.FromString(data).log.message.stderr:
                break
    wait_for(lambda: rigd.metrics.registry.get_sample_value(
        "rigd_rpc_requests_total", {"method": CAPSULE + "Logs", "code": "CANCELLED"}), "the stream's end on the server")
