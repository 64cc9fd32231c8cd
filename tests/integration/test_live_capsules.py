"""The live capsule and project RPCs through the gRPC API, on both stores, over the local
cluster driver the composition root builds: real processes started with the driver's
`apply` (so the RPCs are pinned apart from the deployer, which tests/integration/test_deployer.py
covers), then instances, statuses, logs, Execute, restarts and
metrics read through the API."""

from __future__ import annotations

import urllib.request
from dataclasses import replace

import grpc
import pytest

from rigd.domain.clusters import Clusters
from rigd.domain.rendering import RenderTarget
from rigd.proto.api.v1.capsule import change_pb2, instance_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule.instance import status_pb2
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.services.composition import Rigd
from rigd.services.config import Settings
from tests.live_capsules import (
    CAPSULE,
    KUBERNETES,
    LOCAL,
    PROJECT,
    WHERE,
    FollowedLogs,
    call,
    execute,
    ready_instances,
    refusal,
)
from tests.local_cluster import http_config, wait_for


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, clusters=Clusters((LOCAL, KUBERNETES)))


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


def test_logs_follow_a_request_line_after_an_http_get(rigd: Rigd, shop: grpc.Channel, web: list[str]) -> None:
    output, code = execute(shop, web[0], "printenv", "PORT")
    assert code == 0
    followed = FollowedLogs(shop, pb.LogsRequest(**WHERE, instance_id=web[0], follow=True))
    with urllib.request.urlopen(f"http://127.0.0.1:{int(output)}/?from=the-test", timeout=10):
        pass
    line = followed.wait_for(b"GET /?from=the-test")
    assert line.log.instance_id == web[0] and line.log.timestamp.seconds > 0
    followed.call.cancel()
    assert followed.ended.wait(10)
    # the server's side ends too: its feed is closed, and the call is counted as cancelled
    wait_for(lambda: rigd.metrics.registry.get_sample_value(
        "rigd_rpc_requests_total", {"method": CAPSULE + "Logs", "code": "CANCELLED"}), "the stream's end on the server")

    logs = shop.unary_stream(CAPSULE + "Logs", request_serializer=pb.LogsRequest.SerializeToString,
                             response_deserializer=pb.LogsResponse.FromString)
    everything = list(logs(pb.LogsRequest(**WHERE), timeout=30))
    assert any(b"GET /?from=the-test" in r.log.message.stderr for r in everything)
    assert {r.log.instance_id for r in everything} == set(web)
    with pytest.raises(grpc.RpcError) as missing:
        list(logs(pb.LogsRequest(**WHERE, instance_id="nope"), timeout=30))
    assert (missing.value.code(), missing.value.details()) == (grpc.StatusCode.NOT_FOUND, "instance 'nope' not found")


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


def test_unknown_projects_environments_and_capsules_are_not_found(shop: grpc.Channel) -> None:
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
    assert kubernetes.details().startswith(  # no kubeconfig is set and rigd runs in no cluster
        "cluster 'eu': cannot load Kubernetes credentials from the in-cluster service account")
    capsule = refusal(shop, listing, pb.ListInstancesRequest(**{**WHERE, "capsule_id": "nope"}))
    assert (capsule.code(), capsule.details()) == (grpc.StatusCode.NOT_FOUND, "capsule 'nope' not found")
    # the capsule exists but nothing was deployed: the local driver answers no instances
    assert call(shop, listing, pb.ListInstancesRequest(**WHERE)).total == 0
