"""The pure parts of the live RPCs: instances on the wire, and the driver of each cluster."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from rigd.adapters.cluster_drivers import ClusterDrivers, NoDriverForCluster
from rigd.adapters.local_cluster.driver import LocalCluster
from rigd.domain.cluster_driver import (
    ClusterDriver,
    ImagePull,
    InstanceState,
    ObjectReference,
    Phase,
    ProjectPlace,
    Readiness,
    Termination,
)
from rigd.domain.clusters import Cluster, ClusterNotFound, Clusters, ClusterType
from rigd.domain.errors import FailedPrecondition, ResourceExhausted
from rigd.domain.live_capsules import MAX_OBJECTS, LiveCapsules, PlacedCapsule, PlacedProject
from rigd.proto.api.v1.capsule import instance_pb2
from rigd.proto.api.v1.capsule.instance import status_pb2 as st
from rigd.services.config import Settings
from rigd.services.instance_messages import instance_message, status_message
from rigd.services.live_parts import driver_factories

CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def instance(**changes: Any) -> InstanceState:
    values: dict[str, Any] = {
        "instance_id": "web-1", "rollout_id": 7, "image": "nginx:1.27", "created_at": CREATED,
        "started_at": CREATED + timedelta(seconds=2), "phase": Phase.RUNNING, "readiness": Readiness.READY,
        "restarts": 0, "node": "local"}
    return InstanceState(**{**values, **changes})


def test_a_pending_instance_has_no_running_stage_yet() -> None:
    pending = instance(started_at=None, phase=Phase.PENDING, readiness=Readiness.NOT_READY,
                       image_pull=ImagePull.PULLING)
    status = status_message(pending, "web")
    assert not status.stages.HasField("running")
    pulling = status.stages.preparing
    assert (pulling.info.state, pulling.steps[0].image_pulling.state) == (
        st.STAGE_STATE_ONGOING, st.IMAGE_PULLING_STATE_PULLING)
    legacy = instance_message(pending)
    assert legacy.state == instance_pb2.STATE_PENDING and not legacy.HasField("started_at")


def test_a_deleted_instance_has_a_deleted_stage_and_a_finish() -> None:
    deleted_at = CREATED + timedelta(minutes=5)
    ended = Termination(exit_code=0, signal=15, reason="Completed", started_at=CREATED, finished_at=deleted_at)
    gone = instance(phase=Phase.SUCCEEDED, readiness=Readiness.NOT_READY, deleted_at=deleted_at,
                    last_termination=ended, restarts=2)
    status = status_message(gone, "web")
    assert status.stages.deleted.info.state == st.STAGE_STATE_DONE
    assert status.stages.deleted.info.updated_at.ToDatetime(tzinfo=UTC) == deleted_at
    running = status.stages.running
    assert (running.info.state, running.restarts, running.last_container_termination.signal) == (
        st.STAGE_STATE_DONE, 2, 15)
    legacy = instance_message(gone)
    assert (legacy.state, legacy.restart_count) == (instance_pb2.STATE_SUCCEEDED, 2)
    assert legacy.finished_at.ToDatetime(tzinfo=UTC) == deleted_at
    assert (legacy.rollout_id, legacy.image_id, legacy.created_at.ToDatetime(tzinfo=UTC)) == (7, "nginx:1.27", CREATED)


class Counting:
    def __init__(self) -> None:
        self.made: list[str] = []

    def __call__(self, cluster: Cluster) -> ClusterDriver:
        self.made.append(cluster.cluster_id)
        return cast(ClusterDriver, object())


def test_one_driver_per_cluster_made_on_first_use() -> None:
    factory = Counting()
    clusters = Clusters((Cluster("a", ClusterType.LOCAL), Cluster("b", ClusterType.LOCAL),
                         Cluster("eu", ClusterType.KUBERNETES)))
    drivers = ClusterDrivers(clusters, {ClusterType.LOCAL: factory})
    assert factory.made == []
    first = drivers.driver("a")
    assert drivers.driver("a") is first and drivers.driver("b") is not first
    assert factory.made == ["a", "b"]
    with pytest.raises(NoDriverForCluster, match="cluster 'eu' is of type 'k8s', and this rigd has no driver"):
        drivers.driver("eu")
    with pytest.raises(ClusterNotFound):
        drivers.driver("nowhere")


def test_kubernetes_clusters_without_loadable_credentials_are_refused_by_name(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    factories = driver_factories(Settings(data_dir=tmp_path, kubeconfig=str(missing)))
    expected = f"cluster 'eu': cannot load Kubernetes credentials from kubeconfig '{missing}'"
    with pytest.raises(FailedPrecondition, match=expected):
        factories[ClusterType.KUBERNETES](Cluster("eu", ClusterType.KUBERNETES))


def test_local_clusters_get_the_local_driver_under_the_data_dir(tmp_path: Path) -> None:
    factories = driver_factories(Settings(data_dir=tmp_path))
    assert set(factories) == {ClusterType.LOCAL, ClusterType.KUBERNETES}
    driver = factories[ClusterType.LOCAL](Cluster("local", ClusterType.LOCAL))
    assert isinstance(driver, LocalCluster) and driver.root == tmp_path / "clusters" / "local"


class ManyObjects:
    """A driver source whose one driver lists `count` Deployments."""

    def __init__(self, count: int) -> None:
        self.count = count

    def driver(self, cluster_id: str) -> ClusterDriver:
        listed = [ObjectReference("Deployment", f"d{n}", "apps/v1") for n in range(self.count)]
        return cast(ClusterDriver, SimpleNamespace(objects_by_kind=lambda place, kind, api_version: listed))


class OnePlace:
    def project(self, project_id: str, environment_id: str) -> PlacedProject:
        return PlacedProject(ProjectPlace(project_id, "prod", project_id), "local")

    def capsule(self, project_id: str, environment_id: str, capsule_id: str) -> PlacedCapsule:
        raise AssertionError("not asked")


def test_objects_by_kind_beyond_one_answer_are_refused_not_cut() -> None:
    assert len(LiveCapsules(OnePlace(), ManyObjects(MAX_OBJECTS)).objects_by_kind(
        "shop", "prod", "Deployment", "apps/v1")) == MAX_OBJECTS
    with pytest.raises(ResourceExhausted, match=f"{MAX_OBJECTS + 1} objects of kind 'Deployment'"):
        LiveCapsules(OnePlace(), ManyObjects(MAX_OBJECTS + 1)).objects_by_kind("shop", "prod", "Deployment", "apps/v1")
