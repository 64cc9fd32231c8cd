"""Helpers for the live capsule RPCs' tests: calls through the gRPC API, a followed Logs
stream read by a thread of its own, Execute, and a project with environments on a local and
a k8s cluster, its capsule's processes started through the driver's `apply`."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import grpc
import pytest

from rigd.domain.cluster_driver import CapsulePlace
from rigd.domain.clusters import Cluster, ClusterType
from rigd.domain.rendering import RenderTarget
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule.instance import status_pb2
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.services.composition import Rigd
from rigd.services.live_parts import local_cluster_root
from tests.conftest import serving
from tests.local_cluster import http_config, kill_everything, wait_for

CAPSULE = "/api.v1.capsule.Service/"
PROJECT = "/api.v1.project.Service/"
LOCAL, KUBERNETES = Cluster("local", ClusterType.LOCAL), Cluster("eu", ClusterType.KUBERNETES)
WHERE = {"project_id": "shop", "environment_id": "prod", "capsule_id": "web"}


def call(channel: grpc.Channel, path: str, request: Any) -> Any:
    response = {
        "ListInstances": pb.ListInstancesResponse, "ListInstanceStatuses": pb.ListInstanceStatusesResponse,
        "GetInstanceStatus": pb.GetInstanceStatusResponse, "RestartInstance": pb.RestartInstanceResponse,
        "CapsuleMetrics": pb.CapsuleMetricsResponse, "GetCustomInstanceMetrics": pb.GetCustomInstanceMetricsResponse,
        "GetObjectsByKind": project_pb.GetObjectsByKindResponse, "Create": None,
        "GetCustomObjectMetrics": project_pb.GetCustomObjectMetricsResponse,
    }[path.rsplit("/", 1)[1]]
    if response is None:
        response = {PROJECT: project_pb.CreateResponse, CAPSULE: pb.CreateResponse}.get(
            path.rsplit("/", 1)[0] + "/", environment_pb.CreateResponse)
    method = channel.unary_unary(path, request_serializer=type(request).SerializeToString,
                                 response_deserializer=response.FromString)
    return method(request, timeout=30)


def refusal(channel: grpc.Channel, path: str, request: Any) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as raised:
        call(channel, path, request)
    return raised.value


def execute(channel: grpc.Channel, instance_id: str, *argv: str, stdin: bytes | None = None) -> tuple[bytes, int]:
    """Runs a command in an instance through Execute: its stdout and its exit code."""
    start = pb.ExecuteRequest(
        start=pb.ExecuteRequest.Start(capsule_id="web", instance_id=instance_id, command=argv[0],
                                      arguments=argv[1:], interactive=stdin is not None),
        project_id="shop", environment_id="prod")
    requests = [start]
    if stdin is not None:
        requests.append(pb.ExecuteRequest(stdin=pb.StreamData(data=stdin, closed=True)))
    method = channel.stream_stream(CAPSULE + "Execute", request_serializer=pb.ExecuteRequest.SerializeToString,
                                   response_deserializer=pb.ExecuteResponse.FromString)
    responses = list(method(iter(requests), timeout=30))
    assert responses[-1].WhichOneof("response") == "exit_code"
    return b"".join(r.stdout.data for r in responses[:-1]), responses[-1].exit_code


class FollowedLogs:
    """A followed Logs call read by a thread of its own."""

    def __init__(self, channel: grpc.Channel, request: pb.LogsRequest) -> None:
        method = channel.unary_stream(CAPSULE + "Logs", request_serializer=pb.LogsRequest.SerializeToString,
                                      response_deserializer=pb.LogsResponse.FromString)
        self.call = method(request, timeout=120)
        self.lines: queue.Queue[pb.LogsResponse] = queue.Queue()
        self.ended = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for response in self.call:
                self.lines.put(response)
        except grpc.RpcError:
            pass
        finally:
            self.ended.set()

    def wait_for(self, text: bytes) -> pb.LogsResponse:
        while True:
            try:
                response = self.lines.get(timeout=30)
            except queue.Empty:
                pytest.fail(f"no log line with {text!r} arrived")
            if text in response.log.message.stderr + response.log.message.stdout:
                return response


@contextmanager
def shop_project(rigd: Rigd) -> Iterator[grpc.Channel]:
    """Project `shop` with environment `prod` on the local cluster and `eu-prod` on the k8s one,
    and its capsule `web`;
    afterwards the capsule `web` is stopped and no process it started is left."""
    root = local_cluster_root(rigd.settings, LOCAL)
    try:
        with serving(rigd) as channel:
            call(channel, PROJECT + "Create", project_pb.CreateRequest(project_id="shop"))
            for environment, cluster in (("prod", "local"), ("eu-prod", "eu")):
                call(channel, "/api.v1.environment.Service/Create",
                     environment_pb.CreateRequest(environment_id=environment, cluster_id=cluster))
            call(channel, CAPSULE + "Create", pb.CreateRequest(project_id="shop", name="web"))
            yield channel
    finally:
        rigd.live.drivers.driver("local").stop(CapsulePlace("shop", "prod", "web", "shop"))
        kill_everything(root)


def ready_instances(channel: grpc.Channel, count: int) -> list[str] | None:
    statuses = call(channel, CAPSULE + "ListInstanceStatuses", pb.ListInstanceStatusesRequest(**WHERE)).instances
    ready = [s for s in statuses
             if any(step.ready.state == status_pb2.READY_STATE_READY for step in s.stages.running.steps)]
    return [s.instance_id for s in statuses] if len(statuses) == len(ready) == count else None


def one_ready_instance(rigd: Rigd, channel: grpc.Channel) -> str:
    """One instance of `python -m http.server` in `shop`/`prod`, started through the local
    driver directly (not the deployer), once it is ready."""
    rigd.live.drivers.driver("local").apply(RenderTarget("shop", "prod", "web", "shop", 1), http_config(replicas=1))
    (only,) = wait_for(lambda: ready_instances(channel, 1), "a ready instance")
    return only
