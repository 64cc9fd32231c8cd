"""The deployer with two clusters, on SQLite and PostgreSQL: each cluster's rollouts are followed
on their own, so a Kubernetes cluster whose API cannot be reached (a kubeconfig naming a port
nothing listens on) holds back its own rollouts only, and the local cluster's run meanwhile.
A deployer of this version takes over where the single follower of earlier ones stopped."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import grpc
import pytest
from eventsourcing.persistence import Tracking

from rigd.domain.clusters import Cluster, Clusters, ClusterType
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule import service_pb2_grpc as capsule_grpc
from rigd.proto.api.v1.capsule.rollout import status_pb2
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.environment import service_pb2_grpc as environment_grpc
from rigd.proto.api.v1.image import service_pb2 as image_pb
from rigd.proto.api.v1.image import service_pb2_grpc as image_grpc
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.proto.api.v1.project import service_pb2_grpc as project_grpc
from rigd.services.composition import Rigd
from rigd.services.config import Settings
from tests.conftest import serving
from tests.deploying import (
    CAPSULE,
    PROJECT,
    deploying_rigd,
    http_server_changes,
    processes_under,
    wait_for_instances,
    wait_until,
)

LOCAL, FAR = "prod", "eu-prod"  # environments on the local cluster and on the unreachable one


def unreachable_kubeconfig(path: Path) -> Path:
    with socket.socket() as probe:  # a port nothing listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    path.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "far",
        "clusters": [{"name": "far", "cluster": {"server": f"http://127.0.0.1:{port}"}}],
        "users": [{"name": "rigd", "user": {"token": "t"}}],
        "contexts": [{"name": "far", "context": {"cluster": "far", "user": "rigd"}}],
    }))
    return path


@pytest.fixture
def deploying(settings: Settings, tmp_path: Path) -> Iterator[Rigd]:
    clusters = Clusters((Cluster("local", ClusterType.LOCAL), Cluster("eu", ClusterType.KUBERNETES)))
    moved = replace(settings, clusters=clusters, kubeconfig=str(unreachable_kubeconfig(tmp_path / "kube")))
    with deploying_rigd(moved) as instance:
        yield instance


def prepared(channel: grpc.Channel) -> capsule_grpc.ServiceStub:
    project_grpc.ServiceStub(channel).Create(project_pb.CreateRequest(project_id=PROJECT))
    environments = environment_grpc.ServiceStub(channel)
    environments.Create(environment_pb.CreateRequest(environment_id=LOCAL, cluster_id="local"))
    environments.Create(environment_pb.CreateRequest(environment_id=FAR, cluster_id="eu"))
    capsules = capsule_grpc.ServiceStub(channel)
    capsules.Create(pb.CreateRequest(project_id=PROJECT, name=CAPSULE))
    image_grpc.ServiceStub(channel).Add(image_pb.AddRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                                            image="python:3", skip_image_check=True))
    return capsules


def deploy_to(capsules: capsule_grpc.ServiceStub, environment_id: str) -> int:
    return int(capsules.Deploy(pb.DeployRequest(project_id=PROJECT, capsule_id=CAPSULE, environment_id=environment_id,
                                                changes=http_server_changes(replicas=1), force=True)).rollout_id)


def error_events(capsules: capsule_grpc.ServiceStub, rollout_id: int) -> list[str]:
    answer = capsules.ListEvents(pb.ListEventsRequest(project_id=PROJECT, capsule_id=CAPSULE, environment_id=FAR,
                                                      rollout_id=rollout_id))
    return [e.message for e in answer.events if e.event_data.WhichOneof("kind") == "error"]


def test_an_unreachable_cluster_holds_back_only_its_own_rollouts(deploying: Rigd) -> None:
    with serving(deploying) as channel:
        capsules = prepared(channel)
        far = deploy_to(capsules, FAR)  # first in the log: its cluster cannot be reached
        near = deploy_to(capsules, LOCAL)
        done = wait_for_instances(capsules, near)
        assert done.status.state == status_pb2.STATE_RUNNING
        # the far rollout has its failed attempt recorded, and waits to be applied
        messages = wait_until(lambda: error_events(capsules, far), "the far rollout's failed attempt")
        assert any("cannot be reached" in message for message in messages), messages
        got = capsules.GetRollout(pb.GetRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=far))
        assert got.rollout.status.state == status_pb2.STATE_PREPARING
        positions = {f.name: f.position() for f in deploying.deployer.process.followers}
        assert set(positions) == {"deployer/eu", "deployer/local"}
        assert positions["deployer/local"] > positions["deployer/eu"]


def test_a_follower_without_a_position_starts_where_the_single_follower_stopped(rigd: Rigd) -> None:
    last = rigd.store.max_notification_id()
    assert last > 0
    rigd.store.process_recorder.insert_tracking(Tracking("deployer", last))
    process = rigd.deployer.process
    assert [f.name for f in process.followers] == ["deployer/local"]
    assert process.position() == last


def test_a_rollout_is_removed_from_the_cluster_it_ran_on_after_its_environment_moved(deploying: Rigd) -> None:
    """The environment is deleted while the deployer is away and created again on the other
    cluster: the old rollout's objects are removed where they are (the cluster its Deploy
    recorded), not looked for on the environment's new cluster."""
    with serving(deploying) as channel:
        capsules = prepared(channel)
        near = deploy_to(capsules, LOCAL)
        wait_for_instances(capsules, near)
        assert processes_under(deploying.settings.data_dir)
        deploying.deployer.process.stop()
        environments = environment_grpc.ServiceStub(channel)
        environments.Delete(environment_pb.DeleteRequest(environment_id=LOCAL, force=True))
        environments.Create(environment_pb.CreateRequest(environment_id=LOCAL, cluster_id="eu"))
        deploying.deployer.process.start()
        wait_until(lambda: "cluster resources removed" in rollout_messages(capsules, near),
                   "the moved environment's old rollout to be removed from the local cluster")
        assert processes_under(deploying.settings.data_dir) == set()


def rollout_messages(capsules: capsule_grpc.ServiceStub, rollout_id: int) -> list[str]:
    answer = capsules.ListEvents(pb.ListEventsRequest(project_id=PROJECT, capsule_id=CAPSULE, environment_id=LOCAL,
                                                      rollout_id=rollout_id))
    return [e.message for e in answer.events]
