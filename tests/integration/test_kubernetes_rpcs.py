"""The live capsule RPCs through the gRPC API on an environment of a `k8s` cluster, on both
stores: the composition root builds the Kubernetes driver from `kubeconfig`, which points at
the recording API server (tests/kube_recorder.py). The rollout's objects are applied through
the driver directly, so the test pins the RPCs rather than the deployer (tests/integration/
test_deployer.py covers Deploy to running); the pods are those a cluster would report."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import grpc
import pytest

from rigd.domain.clusters import Clusters
from rigd.domain.rendering import RenderTarget
from rigd.proto.api.v1.capsule import instance_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule.instance import status_pb2
from rigd.services.composition import Rigd
from rigd.services.config import Settings
from tests.kube_pods import crash_looping, pod, running
from tests.kube_recorder import KubeRecorder
from tests.live_capsules import CAPSULE, KUBERNETES, LOCAL, call, shop_project

WHERE = {"project_id": "shop", "environment_id": "eu-prod", "capsule_id": "web"}
NAMESPACE = "shop"  # the environment's default template: the project's name
FIRST, SECOND = "web-5d8f7c9b6d-aaaaa", "web-5d8f7c9b6d-bbbbb"


@pytest.fixture
def settings(settings: Settings, recorder: KubeRecorder, tmp_path: Path) -> Settings:
    kubeconfig = recorder.kubeconfig(tmp_path / "kubeconfig")
    return replace(settings, clusters=Clusters((LOCAL, KUBERNETES)), kubeconfig=str(kubeconfig))


@pytest.fixture
def shop(rigd: Rigd, recorder: KubeRecorder) -> Iterator[grpc.Channel]:
    with shop_project(rigd) as channel:
        config = {"replicas": 2, "image_id": "nginx:1.27", "network": {"interfaces": [{"name": "http", "port": 80}]}}
        rigd.live.drivers.driver("eu").apply(RenderTarget("shop", "eu-prod", "web", NAMESPACE, 3), config)
        deployment = recorder.get(f"/apis/apps/v1/namespaces/{NAMESPACE}/deployments/web")
        assert deployment is not None
        for item in (pod(deployment, "aaaaa", running()), pod(deployment, "bbbbb", crash_looping())):
            item["metadata"]["namespace"] = NAMESPACE
            recorder.put(f"/api/v1/namespaces/{NAMESPACE}/pods/{item['metadata']['name']}", item)
        yield channel


def test_instances_statuses_and_restart_through_the_api(shop: grpc.Channel, recorder: KubeRecorder) -> None:
    listed = call(shop, CAPSULE + "ListInstances", pb.ListInstancesRequest(**WHERE))
    assert [(i.instance_id, i.rollout_id, i.state) for i in listed.instances] == [
        (FIRST, 3, instance_pb2.STATE_RUNNING), (SECOND, 3, instance_pb2.STATE_RUNNING)]
    assert listed.instances[0].image_id == "nginx:1.27"
    status = call(shop, CAPSULE + "GetInstanceStatus", pb.GetInstanceStatusRequest(**WHERE, instance_id=SECOND)).status
    assert status.stages.schedule.steps[0].placement.node == "node-1"
    ready = next(step.ready for step in status.stages.running.steps if step.HasField("ready"))
    assert (ready.state, ready.fail_count) == (status_pb2.READY_STATE_CRASH_LOOP_BACKOFF, 4)

    call(shop, CAPSULE + "RestartInstance", pb.RestartInstanceRequest(**WHERE, instance_id=FIRST))
    assert recorder.get(f"/api/v1/namespaces/{NAMESPACE}/pods/{FIRST}") is None
    after = [i.instance_id for i in call(shop, CAPSULE + "ListInstances", pb.ListInstancesRequest(**WHERE)).instances]
    assert FIRST not in after and len(after) == 2


def test_logs_and_execute_through_the_api(shop: grpc.Channel, recorder: KubeRecorder) -> None:
    recorder.cluster.logs[(FIRST, False)] = [("2026-01-02T03:04:11Z", "GET / 200")]
    logs = shop.unary_stream(CAPSULE + "Logs", request_serializer=pb.LogsRequest.SerializeToString,
                             response_deserializer=pb.LogsResponse.FromString)
    lines = list(logs(pb.LogsRequest(**WHERE, instance_id=FIRST), timeout=30))
    assert [(line.log.instance_id, line.log.message.stdout) for line in lines] == [(FIRST, b"GET / 200")]

    start = pb.ExecuteRequest(start=pb.ExecuteRequest.Start(capsule_id="web", instance_id=FIRST, command="echo",
                                                            arguments=["hi"]),
                              project_id="shop", environment_id="eu-prod")
    execute = shop.stream_stream(CAPSULE + "Execute", request_serializer=pb.ExecuteRequest.SerializeToString,
                                 response_deserializer=pb.ExecuteResponse.FromString)
    responses = list(execute(iter([start]), timeout=30))
    assert b"".join(r.stdout.data for r in responses[:-1]) == b"hi\n"
    assert responses[-1].exit_code == 0
    exec_request = next(r for r in recorder.take() if r.path.endswith("/exec"))
    assert exec_request.path == f"/api/v1/namespaces/{NAMESPACE}/pods/{FIRST}/exec"
