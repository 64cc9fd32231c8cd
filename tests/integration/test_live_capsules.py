"""The live capsule and project RPCs through the gRPC API, on both stores, over the local
cluster driver the composition root builds: real processes started with the driver's
`apply` (Deploy is another issue's), then instances, statuses, logs, Execute, restarts and
metrics read through the API."""

from __future__ import annotations

import queue
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import grpc
import pytest

from rigd.domain.cluster_driver import CapsulePlace
from rigd.domain.clusters import Cluster, Clusters, ClusterType
from rigd.domain.rendering import RenderTarget
from rigd.proto.api.v1.capsule import change_pb2, instance_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule.instance import status_pb2
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.services.composition import Rigd
from rigd.services.config import Settings
from rigd.services.live_parts import local_cluster_root
from tests.conftest import serving
from tests.local_cluster import http_config, kill_everything, wait_for

CAPSULE = "/api.v1.capsule.Service/"
PROJECT = "/api.v1.project.Service/"
LOCAL, KUBERNETES = Cluster("local", ClusterType.LOCAL), Cluster("eu", ClusterType.KUBERNETES)
WHERE = {"project_id": "shop", "environment_id": "prod", "capsule_id": "web"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, clusters=Clusters((LOCAL, KUBERNETES)))


def call(channel: grpc.Channel, path: str, request: Any) -> Any:
    response = {
        "ListInstances": pb.ListInstancesResponse, "ListInstanceStatuses": pb.ListInstanceStatusesResponse,
        "GetInstanceStatus": pb.GetInstanceStatusResponse, "RestartInstance": pb.RestartInstanceResponse,
        "CapsuleMetrics": pb.CapsuleMetricsResponse, "GetCustomInstanceMetrics": pb.GetCustomInstanceMetricsResponse,
        "GetObjectsByKind": project_pb.GetObjectsByKindResponse, "Create": None,
        "GetCustomObjectMetrics": project_pb.GetCustomObjectMetricsResponse,
    }[path.rsplit("/", 1)[1]]
    if response is None:
        response = project_pb.CreateResponse if path.startswith(PROJECT) else environment_pb.CreateResponse
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


@pytest.fixture
def shop(rigd: Rigd) -> Iterator[grpc.Channel]:
    """Project `shop` with environment `prod` on the local cluster and `eu-prod` on a k8s one."""
    root = local_cluster_root(rigd.settings, LOCAL)
    try:
        with serving(rigd) as channel:
            call(channel, PROJECT + "Create", project_pb.CreateRequest(project_id="shop"))
            for environment, cluster in (("prod", "local"), ("eu-prod", "eu")):
                call(channel, "/api.v1.environment.Service/Create",
                     environment_pb.CreateRequest(environment_id=environment, cluster_id=cluster))
            yield channel
    finally:
        rigd.live.drivers.driver("local").stop(CapsulePlace("shop", "prod", "web", "shop"))
        kill_everything(root)


def ready_instances(channel: grpc.Channel, count: int) -> list[str] | None:
    statuses = call(channel, CAPSULE + "ListInstanceStatuses", pb.ListInstanceStatusesRequest(**WHERE)).instances
    ready = [s for s in statuses
             if any(step.ready.state == status_pb2.READY_STATE_READY for step in s.stages.running.steps)]
    return [s.instance_id for s in statuses] if len(statuses) == len(ready) == count else None


@pytest.fixture
def web(rigd: Rigd, shop: grpc.Channel) -> list[str]:
    """Two ready instances of `python -m http.server`, started through the driver directly."""
    rigd.live.drivers.driver("local").apply(RenderTarget("shop", "prod", "web", "shop", 1), http_config(replicas=2))
    return wait_for(lambda: ready_instances(shop, 2), "two ready instances")


def test_instances_and_their_statuses(shop: grpc.Channel, web: list[str]) -> None:
    listed = call(shop, CAPSULE + "ListInstances", pb.ListInstancesRequest(**WHERE))
    assert listed.total == 2 and [i.instance_id for i in listed.instances] == web
    first = listed.instances[0]
    assert (first.state, first.rollout_id, first.image_id) == (
        instance_pb2.STATE_RUNNING, 1, "index.docker.io/library/python:3.12")
    assert first.HasField("started_at") and not first.HasField("finished_at")
    paged = call(shop, CAPSULE + "ListInstances", pb.ListInstancesRequest(
        **WHERE, pagination={"offset": 1, "limit": 1}))
    assert (paged.total, [i.instance_id for i in paged.instances]) == (2, web[1:])

    status = call(shop, CAPSULE + "GetInstanceStatus", pb.GetInstanceStatusRequest(**WHERE, instance_id=web[0])).status
    assert (status.instance_id, status.rollout_id) == (web[0], 1)
    assert status.stages.schedule.steps[0].placement.node == "local"
    assert status.stages.preparing.steps[0].image_pulling.state == status_pb2.IMAGE_PULLING_STATE_DONE
    running = status.stages.running
    assert running.info.state == status_pb2.STAGE_STATE_RUNNING
    assert running.steps[1].executing.info.container.name == "web"
    assert not status.stages.HasField("deleted")

    missing = refusal(shop, CAPSULE + "GetInstanceStatus", pb.GetInstanceStatusRequest(**WHERE, instance_id="nope"))
    assert (missing.code(), missing.details()) == (grpc.StatusCode.NOT_FOUND, "instance 'nope' not found")


def test_logs_follow_a_request_line_after_an_http_get(shop: grpc.Channel, web: list[str]) -> None:
    output, code = execute(shop, web[0], "printenv", "PORT")
    assert code == 0
    followed = FollowedLogs(shop, pb.LogsRequest(**WHERE, instance_id=web[0], follow=True))
    with urllib.request.urlopen(f"http://127.0.0.1:{int(output)}/?from=the-test", timeout=10):
        pass
    line = followed.wait_for(b"GET /?from=the-test")
    assert line.log.instance_id == web[0] and line.log.timestamp.seconds > 0
    followed.call.cancel()
    assert followed.ended.wait(10)

    everything = list(shop.unary_stream(
        CAPSULE + "Logs", request_serializer=pb.LogsRequest.SerializeToString,
        response_deserializer=pb.LogsResponse.FromString)(pb.LogsRequest(**WHERE), timeout=30))
    assert any(b"GET /?from=the-test" in r.log.message.stderr for r in everything)
    missing = refusal(shop, CAPSULE + "GetInstanceStatus", pb.GetInstanceStatusRequest(**WHERE, instance_id="nope"))
    assert missing.code() == grpc.StatusCode.NOT_FOUND


def test_execute_runs_a_command_in_an_instance(shop: grpc.Channel, web: list[str]) -> None:
    assert execute(shop, web[0], "echo", "hi") == (b"hi\n", 0)
    assert execute(shop, web[1], "cat", stdin=b"from stdin") == (b"from stdin", 0)
    assert execute(shop, web[0], "sh", "-c", "exit 3") == (b"", 3)


def test_restart_replaces_an_instance_and_the_old_one_is_listed_as_deleted(
    shop: grpc.Channel, web: list[str]
) -> None:
    call(shop, CAPSULE + "RestartInstance", pb.RestartInstanceRequest(**WHERE, instance_id=web[0]))
    now = [i.instance_id for i in call(shop, CAPSULE + "ListInstances", pb.ListInstancesRequest(**WHERE)).instances]
    assert len(now) == 2 and web[0] not in now and web[1] in now
    deleted = call(shop, CAPSULE + "ListInstances", pb.ListInstancesRequest(
        **WHERE, include_deleted=True, exclude_existing=True)).instances
    assert [(i.instance_id, i.state) for i in deleted] == [(web[0], instance_pb2.STATE_SUCCEEDED)]
    assert deleted[0].HasField("finished_at")
    statuses = call(shop, CAPSULE + "ListInstanceStatuses", pb.ListInstanceStatusesRequest(
        **WHERE, include_deleted=True)).instances
    assert {s.instance_id for s in statuses} == {*now, web[0]}
    assert next(s for s in statuses if s.instance_id == web[0]).stages.deleted.info.name == "deleted"
    unknown = refusal(shop, CAPSULE + "RestartInstance", pb.RestartInstanceRequest(**WHERE, instance_id="nope"))
    assert (unknown.code(), unknown.details()) == (grpc.StatusCode.NOT_FOUND, "instance 'nope' not found")


def test_metrics_and_objects(shop: grpc.Channel, web: list[str]) -> None:
    metrics = call(shop, CAPSULE + "CapsuleMetrics", pb.CapsuleMetricsRequest(**WHERE)).instance_metrics
    assert sorted(m.instance_id for m in metrics) == sorted(web)
    assert all(m.capsule_id == "web" and m.main_container.memory_bytes > 0 for m in metrics)
    assert all(m.main_container.timestamp.seconds > 0 for m in metrics)
    one = call(shop, CAPSULE + "CapsuleMetrics", pb.CapsuleMetricsRequest(**WHERE, instance_id=web[1]))
    assert [m.instance_id for m in one.instance_metrics] == [web[1]]
    custom = call(shop, CAPSULE + "GetCustomInstanceMetrics", pb.GetCustomInstanceMetricsRequest(
        project_id="shop", environment_id="prod", capsule_id="web"))
    assert list(custom.metrics) == []  # nothing collects custom metrics from local processes

    objects = call(shop, PROJECT + "GetObjectsByKind", project_pb.GetObjectsByKindRequest(
        kind="Deployment", api_version="apps/v1", project_id="shop", environment_id="prod")).objects
    assert [(o.kind, o.name) for o in objects] == [("Deployment", "web")]
    object_metrics = call(shop, PROJECT + "GetCustomObjectMetrics", project_pb.GetCustomObjectMetricsRequest(
        object_reference=change_pb2.ObjectReference(kind="Deployment", name="web", api_version="apps/v1"),
        project_id="shop", environment_id="prod"))
    assert (list(object_metrics.metrics), object_metrics.project_id) == ([], "shop")


def test_unknown_projects_and_environments_are_not_found(shop: grpc.Channel) -> None:
    listing = CAPSULE + "ListInstances"
    project = refusal(shop, listing, pb.ListInstancesRequest(project_id="nowhere", environment_id="prod",
                                                             capsule_id="web"))
    assert (project.code(), project.details()) == (grpc.StatusCode.NOT_FOUND, "project 'nowhere' not found")
    environment = refusal(shop, listing, pb.ListInstancesRequest(project_id="shop", environment_id="nowhere",
                                                                 capsule_id="web"))
    assert (environment.code(), environment.details()) == (grpc.StatusCode.NOT_FOUND,
                                                           "environment 'nowhere' not found")
    no_capsule = refusal(shop, listing, pb.ListInstancesRequest(project_id="shop", environment_id="prod"))
    assert (no_capsule.code(), no_capsule.details()) == (grpc.StatusCode.INVALID_ARGUMENT,
                                                         "capsule_id must not be empty")
    kubernetes = refusal(shop, listing, pb.ListInstancesRequest(project_id="shop", environment_id="eu-prod",
                                                                capsule_id="web"))
    assert kubernetes.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert kubernetes.details() == "cluster 'eu' is of type 'k8s', and this rigd has no driver for that type"
    # no capsule runs yet: the local driver answers nothing (capsule existence is checked once capsules exist)
    assert call(shop, listing, pb.ListInstancesRequest(**WHERE)).total == 0
