"""capsule.Service over gRPC on SQLite and PostgreSQL: capsules, Deploy, rollouts and their
events, abort and stop, and what capsules forbid of environments, projects and images."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import grpc
import pytest

from rigd.domain.rollouts import Rollout, rollout_aggregate_id
from rigd.proto.api.v1.capsule import capsule_pb2, change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule import service_pb2_grpc as capsule_grpc
from rigd.proto.api.v1.capsule.rollout import status_pb2
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.environment import service_pb2_grpc as environment_grpc
from rigd.proto.api.v1.image import service_pb2 as image_pb
from rigd.proto.api.v1.image import service_pb2_grpc as image_grpc
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.proto.api.v1.project import service_pb2_grpc as project_grpc
from rigd.proto.model import common_pb2
from rigd.services.composition import Rigd

PROJECT, CAPSULE, ENVIRONMENT = "shop", "web", "prod"
NGINX, NGINX_ID = "nginx:1.27", "index.docker.io/library/nginx:1.27"


def status_of(call: Callable[[], Any]) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value.code(), raised.value.details()


def add_image(channel: grpc.Channel, image: str, capsule: str = CAPSULE) -> str:
    stub = image_grpc.ServiceStub(channel)
    return stub.Add(image_pb.AddRequest(project_id=PROJECT, capsule_id=capsule, image=image,
                                        skip_image_check=True)).image_id


def prepared_capsules(channel: grpc.Channel) -> capsule_grpc.ServiceStub:
    """A project with an environment `prod` (the default) and a capsule `web` with one image."""
    project_grpc.ServiceStub(channel).Create(project_pb.CreateRequest(project_id=PROJECT))
    environment_grpc.ServiceStub(channel).Create(environment_pb.CreateRequest(environment_id=ENVIRONMENT))
    stub = capsule_grpc.ServiceStub(channel)
    stub.Create(pb.CreateRequest(project_id=PROJECT, name=CAPSULE))
    add_image(channel, NGINX)
    return stub


@pytest.fixture
def capsules(channel: grpc.Channel) -> capsule_grpc.ServiceStub:
    return prepared_capsules(channel)


def deploy(capsules: capsule_grpc.ServiceStub, *changes: change_pb2.Change, **fields: Any) -> pb.DeployResponse:
    fields.setdefault("environment_id", ENVIRONMENT)
    fields.setdefault("force", True)
    return capsules.Deploy(pb.DeployRequest(project_id=PROJECT, capsule_id=CAPSULE, changes=changes, **fields))


def rollout(capsules: capsule_grpc.ServiceStub, rollout_id: int) -> Any:
    return capsules.GetRollout(pb.GetRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                                    rollout_id=rollout_id)).rollout


def test_create_get_list_and_delete(capsules: capsule_grpc.ServiceStub) -> None:
    assert capsules.Create(pb.CreateRequest(project_id=PROJECT, name="api")).capsule_id == "api"
    code, message = status_of(lambda: capsules.Create(pb.CreateRequest(project_id=PROJECT, name="api")))
    assert code == grpc.StatusCode.ALREADY_EXISTS and "api" in message
    for bad in ("A", "ab", "-web", "web-", "Web"):
        assert status_of(lambda b=bad: capsules.Create(pb.CreateRequest(project_id=PROJECT, name=b)))[0] \
            == grpc.StatusCode.INVALID_ARGUMENT
    assert status_of(lambda: capsules.Create(pb.CreateRequest(project_id="nope", name="api")))[0] \
        == grpc.StatusCode.NOT_FOUND
    got = capsules.Get(pb.GetRequest(project_id=PROJECT, capsule_id="api")).capsule
    assert got.capsule_id == "api" and got.updated_by.identifier == "admin@rigd.local"
    listed = capsules.List(pb.ListRequest(project_id=PROJECT, pagination=common_pb2.Pagination(descending=True)))
    assert listed.total == 2 and [c.capsule_id for c in listed.capsules] == ["api", "web"]
    capsules.Update(pb.UpdateRequest(project_id=PROJECT, capsule_id="api", updates=[capsule_pb2.Update()]))
    capsules.Delete(pb.DeleteRequest(project_id=PROJECT, capsule_id="api"))
    assert status_of(lambda: capsules.Get(pb.GetRequest(project_id=PROJECT, capsule_id="api")))[0] \
        == grpc.StatusCode.NOT_FOUND
    assert capsules.List(pb.ListRequest(project_id=PROJECT)).total == 1


def test_deploy_records_a_rollout_the_previous_is_replaced_and_events_list_it(
        capsules: capsule_grpc.ServiceStub) -> None:
    first = deploy(capsules, change_pb2.Change(image_id=NGINX_ID), message="first")
    assert first.rollout_id == 1 and first.rollout_config.image_id == NGINX_ID
    assert first.rollout_config.created_by.identifier == "admin@rigd.local"
    assert first.rollout_config.replicas == 1 and first.rollout_config.message == "first"
    assert first.resource_yaml == {}
    second = deploy(capsules, change_pb2.Change(replicas=3), current_rollout_id=1)
    assert second.rollout_id == 2 and second.rollout_config.replicas == 3
    assert second.rollout_config.image_id == NGINX_ID
    one, two = rollout(capsules, 1), rollout(capsules, 2)
    assert (one.status.state, one.status.result) == (status_pb2.STATE_STOPPED, status_pb2.RESULT_ABORTED)
    assert (two.status.state, two.status.result) == (status_pb2.STATE_PREPARING, status_pb2.RESULT_UNSPECIFIED)
    assert list(two.config.changes) == [change_pb2.Change(replicas=3)]
    assert two.config.environment_id == ENVIRONMENT and two.config.created_by.identifier == "admin@rigd.local"
    listed = capsules.ListRollouts(pb.ListRolloutsRequest(
        project_id=PROJECT, capsule_id=CAPSULE, pagination=common_pb2.Pagination(descending=True)))
    assert listed.total == 2 and [r.rollout_id for r in listed.rollouts] == [2, 1]
    events = capsules.ListEvents(pb.ListEventsRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                                      environment_id=ENVIRONMENT, rollout_id=2))
    assert [(e.rollout_id, e.message, e.event_data.WhichOneof("kind")) for e in events.events] == [
        (2, "new rollout initiated", "rollout")]
    every = capsules.ListEvents(pb.ListEventsRequest(project_id=PROJECT, capsule_id=CAPSULE))
    assert [(e.rollout_id, e.event_data.WhichOneof("kind")) for e in every.events] == [
        (1, "rollout"), (1, "abort"), (2, "rollout")]


def test_a_rollout_in_progress_refuses_a_deploy_without_force_and_abort_ends_it(
        capsules: capsule_grpc.ServiceStub) -> None:
    deploy(capsules, change_pb2.Change(image_id=NGINX_ID))
    code, message = status_of(lambda: deploy(capsules, change_pb2.Change(replicas=2), force=False))
    assert (code, message) == (grpc.StatusCode.FAILED_PRECONDITION, "rollout already in progress")
    capsules.AbortRollout(pb.AbortRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=1))
    assert rollout(capsules, 1).status.result == status_pb2.RESULT_ABORTED
    assert status_of(lambda: capsules.AbortRollout(pb.AbortRolloutRequest(
        project_id=PROJECT, capsule_id=CAPSULE, rollout_id=1)))[0] == grpc.StatusCode.FAILED_PRECONDITION
    assert deploy(capsules, change_pb2.Change(replicas=2), force=False).rollout_id == 2
    assert rollout(capsules, 1).status.result == status_pb2.RESULT_ABORTED  # not replaced: it had ended
    capsules.StopRollout(pb.StopRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=2))
    capsules.StopRollout(pb.StopRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=2))
    assert rollout(capsules, 2).status.state == status_pb2.STATE_STOPPED
    assert status_of(lambda: rollout(capsules, 9))[0] == grpc.StatusCode.NOT_FOUND
    assert status_of(lambda: capsules.StopRollout(pb.StopRolloutRequest(
        project_id=PROJECT, capsule_id=CAPSULE, rollout_id=9)))[0] == grpc.StatusCode.NOT_FOUND


def test_an_aborted_rollout_keeps_its_objects_until_it_is_stopped(
        rigd: Rigd, channel: grpc.Channel, capsules: capsule_grpc.ServiceStub) -> None:
    """An abort leaves the capsule's objects where they are (rig-behavior 4.4): its capsule still
    counts as running for an environment Delete, and StopRollout still removes them; only a stop
    (or a newer rollout) is the end of them."""
    deploy(capsules, change_pb2.Change(image_id=NGINX_ID))
    capsules.AbortRollout(pb.AbortRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=1))
    environments = environment_grpc.ServiceStub(channel)
    code, message = status_of(lambda: environments.Delete(environment_pb.DeleteRequest(environment_id=ENVIRONMENT)))
    assert code == grpc.StatusCode.FAILED_PRECONDITION and "web" in message
    stop = pb.StopRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=1)
    capsules.StopRollout(stop)
    capsules.StopRollout(stop)  # once is enough: nothing is recorded again
    listed = capsules.ListEvents(pb.ListEventsRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=1))
    assert [e.message for e in listed.events] == ["new rollout initiated", "rollout aborted", "rollout stopped"]
    status = rollout(capsules, 1).status
    assert (status.state, status.result) == (status_pb2.STATE_STOPPED, status_pb2.RESULT_ABORTED)
    environments.Delete(environment_pb.DeleteRequest(environment_id=ENVIRONMENT))


def test_stopping_an_aborted_rollout_a_newer_one_took_over_stops_nothing(capsules: capsule_grpc.ServiceStub) -> None:
    """The capsule's objects are the newer rollout's: stopping the older one must not remove them."""
    deploy(capsules, change_pb2.Change(image_id=NGINX_ID))
    capsules.AbortRollout(pb.AbortRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=1))
    deploy(capsules, change_pb2.Change(replicas=2), force=False)
    capsules.StopRollout(pb.StopRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=1))
    listed = capsules.ListEvents(pb.ListEventsRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=1))
    assert [e.message for e in listed.events] == ["new rollout initiated", "rollout aborted"]
    assert rollout(capsules, 2).status.state == status_pb2.STATE_PREPARING


def test_deleting_a_capsule_stops_its_aborted_rollouts_too(rigd: Rigd, capsules: capsule_grpc.ServiceStub) -> None:
    deploy(capsules, change_pb2.Change(image_id=NGINX_ID))
    capsules.AbortRollout(pb.AbortRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=1))
    capsules.Delete(pb.DeleteRequest(project_id=PROJECT, capsule_id=CAPSULE))
    aborted = rigd.store.load(rollout_aggregate_id(PROJECT, CAPSULE, 1), Rollout)
    assert aborted is not None and aborted.stop_decided  # so the deployer removes its objects


def test_rollouts_and_events_of_an_unknown_capsule_are_not_found(capsules: capsule_grpc.ServiceStub) -> None:
    for call in (lambda: capsules.ListRollouts(pb.ListRolloutsRequest(project_id=PROJECT, capsule_id="nope")),
                 lambda: capsules.ListEvents(pb.ListEventsRequest(project_id=PROJECT, capsule_id="nope"))):
        code, message = status_of(call)
        assert code == grpc.StatusCode.NOT_FOUND and "nope" in message


def test_a_stale_current_rollout_id_is_aborted(capsules: capsule_grpc.ServiceStub) -> None:
    deploy(capsules, change_pb2.Change(image_id=NGINX_ID))
    code, _ = status_of(lambda: deploy(capsules, change_pb2.Change(replicas=2), current_rollout_id=7))
    assert code == grpc.StatusCode.ABORTED


def test_rollout_ids_are_per_capsule_and_unique_across_environments(
        channel: grpc.Channel, capsules: capsule_grpc.ServiceStub) -> None:
    environment_grpc.ServiceStub(channel).Create(environment_pb.CreateRequest(environment_id="staging"))
    ids = [deploy(capsules, change_pb2.Change(image_id=NGINX_ID), environment_id=env).rollout_id
           for env in (ENVIRONMENT, "staging", ENVIRONMENT, "staging")]
    assert ids == [1, 2, 3, 4]
    staging = capsules.ListRollouts(pb.ListRolloutsRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                                           environment_id="staging"))
    assert [r.rollout_id for r in staging.rollouts] == [2, 4]
    # an empty environment is the default one
    assert deploy(capsules, change_pb2.Change(replicas=2), environment_id="").rollout_config.environment_id \
        == ENVIRONMENT


def test_dry_run_records_nothing_and_shows_objects_and_a_diff(capsules: capsule_grpc.ServiceStub) -> None:
    deploy(capsules, change_pb2.Change(image_id=NGINX_ID))
    dry = deploy(capsules, change_pb2.Change(replicas=4), dry_run=True, force=False)
    assert dry.rollout_id == 0 and dry.rollout_config.replicas == 4
    assert sorted(dry.resource_yaml) == ["capsule/web", "configmap/web"]  # the platform's objects only
    assert "kind: Capsule" in dry.resource_yaml["capsule/web"]
    assert dry.resource_yaml["capsule/web"].startswith("# rigd.dev/diff: what this deploy changes against rollout 1\n")
    assert "# -  replicas: 1" in dry.resource_yaml["capsule/web"].splitlines()  # the Deployment's, in the diff
    assert "rig.dev/override-ownership" not in dry.resource_yaml["capsule/web"]
    forced = deploy(capsules, change_pb2.Change(replicas=4), dry_run=True, force_override=True)
    assert "rig.dev/override-ownership" in forced.resource_yaml["capsule/web"]
    listed = capsules.ListRollouts(pb.ListRolloutsRequest(project_id=PROJECT, capsule_id=CAPSULE))
    assert listed.total == 1


def test_deleting_a_capsule_stops_it_everywhere_and_creating_it_again_continues_its_ids(
        capsules: capsule_grpc.ServiceStub) -> None:
    deploy(capsules, change_pb2.Change(image_id=NGINX_ID))
    capsules.Delete(pb.DeleteRequest(project_id=PROJECT, capsule_id=CAPSULE))
    assert status_of(lambda: deploy(capsules, change_pb2.Change(replicas=1)))[0] == grpc.StatusCode.NOT_FOUND
    capsules.Create(pb.CreateRequest(project_id=PROJECT, name=CAPSULE))
    assert capsules.ListRollouts(pb.ListRolloutsRequest(project_id=PROJECT, capsule_id=CAPSULE)).total == 0
    assert deploy(capsules, change_pb2.Change(image_id=NGINX_ID)).rollout_id == 2


def test_a_capsule_created_again_has_none_of_the_rollouts_it_had_before(capsules: capsule_grpc.ServiceStub) -> None:
    deploy(capsules, change_pb2.Change(image_id=NGINX_ID), change_pb2.Change(replicas=3))
    capsules.Delete(pb.DeleteRequest(project_id=PROJECT, capsule_id=CAPSULE))
    capsules.Create(pb.CreateRequest(project_id=PROJECT, name=CAPSULE))
    assert deploy(capsules, change_pb2.Change(image_id=NGINX_ID)).rollout_id == 2
    earlier = {"project_id": PROJECT, "capsule_id": CAPSULE, "rollout_id": 1}
    for call in (lambda: rollout(capsules, 1),
                 lambda: capsules.AbortRollout(pb.AbortRolloutRequest(**earlier)),
                 lambda: capsules.StopRollout(pb.StopRolloutRequest(**earlier)),
                 lambda: deploy(capsules, change_pb2.Change(rollback=change_pb2.Change.Rollback(rollback_id=1)))):
        assert status_of(call)[0] == grpc.StatusCode.NOT_FOUND
    rolled_back = deploy(capsules, change_pb2.Change(rollback=change_pb2.Change.Rollback(rollback_id=2)))
    assert rolled_back.rollout_id == 3


def test_environment_project_and_image_deletes_respect_capsules(
        channel: grpc.Channel, capsules: capsule_grpc.ServiceStub) -> None:
    environments = environment_grpc.ServiceStub(channel)
    images = image_grpc.ServiceStub(channel)
    deploy(capsules, change_pb2.Change(image_id=NGINX_ID))
    code, message = status_of(lambda: environments.Delete(environment_pb.DeleteRequest(environment_id=ENVIRONMENT)))
    assert code == grpc.StatusCode.FAILED_PRECONDITION and "web" in message
    code, _ = status_of(lambda: images.Delete(image_pb.DeleteRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                                                      image_id=NGINX_ID)))
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    other = add_image(channel, "nginx:1.25")
    images.Delete(image_pb.DeleteRequest(project_id=PROJECT, capsule_id=CAPSULE, image_id=other))
    environments.Delete(environment_pb.DeleteRequest(environment_id=ENVIRONMENT, force=True))
    assert rollout(capsules, 1).status.state == status_pb2.STATE_STOPPED
    projects = project_grpc.ServiceStub(channel)
    code, message = status_of(lambda: projects.Delete(project_pb.DeleteRequest(project_id=PROJECT)))
    assert code == grpc.StatusCode.FAILED_PRECONDITION and "web" in message
    capsules.Delete(pb.DeleteRequest(project_id=PROJECT, capsule_id=CAPSULE))
    projects.Delete(project_pb.DeleteRequest(project_id=PROJECT))


def test_read_models_a_deploy_does_not_concern_are_not_waited_for_and_catch_up_later(
        rigd: Rigd, capsules: capsule_grpc.ServiceStub) -> None:
    projects_at = rigd.projector.position("projects")
    deploy(capsules, change_pb2.Change(image_id=NGINX_ID))
    last = rigd.store.max_notification_id()
    assert not rigd.projector.has_events("projects", projects_at, last)
    assert rigd.projector.has_events("projects", 0, last)  # the project's own creation
    assert rigd.projector.has_events("rollouts", projects_at, last)
    assert rigd.projector.has_events("projects", last, last + 1)  # not written yet: it may still concern them
    assert rigd.wait_for(last, ("projects", "rollouts"))
    # a deferred position still moves, within DEFER_UNRELATED of the deploy
    ends = time.monotonic() + 30
    while rigd.projector.position("projects") < last and time.monotonic() < ends:
        time.sleep(0.05)
    assert rigd.projector.position("projects") >= last
