"""Uniqueness under concurrency is decided by the event store."""

from __future__ import annotations

import functools
import threading
from collections import Counter
from dataclasses import replace

import grpc
import pytest

from rigd.domain.clusters import Cluster, Clusters, ClusterType
from rigd.proto.api.v1.capsule import service_pb2 as capsule_pb
from rigd.proto.api.v1.capsule import service_pb2_grpc as capsule_grpc
from rigd.proto.api.v1.environment import environment_pb2
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.environment import service_pb2_grpc as environment_grpc
from rigd.proto.api.v1.project import service_pb2 as pb
from rigd.proto.api.v1.project import service_pb2_grpc
from rigd.services.config import Settings

ATTEMPTS = 20


def run_together(calls: list) -> Counter:  # type: ignore[type-arg]
    """Starts all calls at the same moment; counts the status codes they end with."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[grpc.StatusCode] = []
    lock = threading.Lock()

    def attempt(call) -> None:  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            call()
            code = grpc.StatusCode.OK
        except grpc.RpcError as error:
            code = error.code()
        with lock:
            outcomes.append(code)

    threads = [threading.Thread(target=attempt, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return Counter(outcomes)


def test_twenty_concurrent_creates_of_one_project_give_one_success(channel: grpc.Channel) -> None:
    projects = service_pb2_grpc.ServiceStub(channel)
    outcomes = run_together(
        [lambda: projects.Create(pb.CreateRequest(project_id="race")) for _ in range(ATTEMPTS)]
    )
    assert outcomes == Counter({grpc.StatusCode.OK: 1, grpc.StatusCode.ALREADY_EXISTS: ATTEMPTS - 1})
    assert projects.List(pb.ListRequest()).total == 1


def test_a_project_delete_racing_a_capsule_create_never_leaves_a_capsule_without_its_project(
        channel: grpc.Channel) -> None:
    """The project records its capsules in the saves that create them, so the two changes
    write one aggregate: whichever commits first, the other decides again and is refused."""
    projects, capsules = service_pb2_grpc.ServiceStub(channel), capsule_grpc.ServiceStub(channel)
    for attempt in range(ATTEMPTS):
        project_id = f"race-{attempt}"
        projects.Create(pb.CreateRequest(project_id=project_id))
        create = capsule_pb.CreateRequest(project_id=project_id, name="web")
        delete = pb.DeleteRequest(project_id=project_id)
        outcomes = run_together([functools.partial(capsules.Create, create),
                                 functools.partial(projects.Delete, delete)])
        assert outcomes in (Counter({grpc.StatusCode.OK: 1, grpc.StatusCode.FAILED_PRECONDITION: 1}),
                            Counter({grpc.StatusCode.OK: 1, grpc.StatusCode.NOT_FOUND: 1})), outcomes
        if outcomes[grpc.StatusCode.FAILED_PRECONDITION]:  # the capsule won: the project still has it
            listed = capsules.List(capsule_pb.ListRequest(project_id=project_id)).capsules
            assert [capsule.capsule_id for capsule in listed] == ["web"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, clusters=Clusters((Cluster("c", ClusterType.LOCAL),)))


def test_concurrent_default_choices_leave_exactly_one_default(channel: grpc.Channel) -> None:
    environments = environment_grpc.ServiceStub(channel)
    ids = [f"env-{i}" for i in range(6)]
    for environment_id in ids:
        environments.Create(environment_pb.CreateRequest(environment_id=environment_id))
    outcomes = run_together([
        lambda e=environment_id: environments.Update(environment_pb.UpdateRequest(
            environment_id=e, updates=[environment_pb2.Update(default=True)]))
        for environment_id in ids
    ])
    assert set(outcomes) <= {grpc.StatusCode.OK, grpc.StatusCode.ABORTED}
    assert outcomes[grpc.StatusCode.OK] >= 1
    defaults = [e.environment_id for e in environments.List(environment_pb.ListRequest()).environments if e.default]
    assert len(defaults) == 1


def test_concurrent_creates_of_new_default_environments_never_answer_already_exists(channel: grpc.Channel) -> None:
    """Every one of these environments is new: losing the race for the default index is a
    conflict to retry or ABORTED, never "already exists" (it did, 59 times in 100)."""
    environments = environment_grpc.ServiceStub(channel)
    ids = [f"new-{i}" for i in range(ATTEMPTS)]
    outcomes = run_together([
        lambda e=environment_id: environments.Create(environment_pb.CreateRequest(
            environment_id=e, initializers=[environment_pb2.Update(default=True)]))
        for environment_id in ids
    ])
    assert set(outcomes) <= {grpc.StatusCode.OK, grpc.StatusCode.ABORTED}, outcomes
    listed = environments.List(environment_pb.ListRequest()).environments
    assert len(listed) == outcomes[grpc.StatusCode.OK]
    assert len([e for e in listed if e.default]) == 1


def test_racing_creates_and_deletes_answer_only_what_each_rpc_can(channel: grpc.Channel) -> None:
    """A Create that succeeded says so with the project it created, whatever a concurrent
    Delete does; a Delete finds the project or answers NOT_FOUND."""
    projects = service_pb2_grpc.ServiceStub(channel)
    creates: list[grpc.StatusCode] = []
    deletes: list[grpc.StatusCode] = []

    def create() -> None:
        try:
            response = projects.Create(pb.CreateRequest(project_id="flicker"))
            assert response.project.project_id == "flicker"
            creates.append(grpc.StatusCode.OK)
        except grpc.RpcError as error:
            creates.append(error.code())

    def delete() -> None:
        try:
            projects.Delete(pb.DeleteRequest(project_id="flicker"))
            deletes.append(grpc.StatusCode.OK)
        except grpc.RpcError as error:
            deletes.append(error.code())

    for _ in range(4):
        run_together([create, delete, create, delete, create, delete])
    assert set(creates) <= {grpc.StatusCode.OK, grpc.StatusCode.ALREADY_EXISTS, grpc.StatusCode.ABORTED}, creates
    assert set(deletes) <= {grpc.StatusCode.OK, grpc.StatusCode.NOT_FOUND, grpc.StatusCode.ABORTED}, deletes
    assert grpc.StatusCode.OK in creates
