"""An environment's deletion racing a Deploy to it, on SQLite and PostgreSQL: the event store
decides which came first, whichever way the two interleave. Each test lets one command decide,
then runs the other to completion before the first one saves (the first one's save is where
it used to slip through), and checks that the first is decided again after the second."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import grpc
import pytest

from rigd.domain.context import CommandContext
from rigd.domain.deploys import DeployRequest
from rigd.domain.environment_commands import EnvironmentHasRunningCapsules
from rigd.domain.environments import EnvironmentNotFound
from rigd.proto.api.v1.capsule import change_pb2 as c
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule import service_pb2_grpc as capsule_grpc
from rigd.proto.api.v1.capsule.rollout import status_pb2
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.environment import service_pb2_grpc as environment_grpc
from rigd.services.composition import Rigd
from tests.integration.test_capsules import CAPSULE, ENVIRONMENT, NGINX_ID, PROJECT, deploy, prepared_capsules

IMAGE = {"image_id": NGINX_ID}


@pytest.fixture
def capsules(channel: grpc.Channel) -> capsule_grpc.ServiceStub:
    return prepared_capsules(channel)


@contextmanager
def before_the_first_save(rigd: Rigd, meanwhile: Callable[[], Any]) -> Iterator[list[Any]]:
    """Runs `meanwhile` once, after the next command has decided and before it saves."""
    original = rigd.store.record
    done: list[Any] = []
    started = []

    def record(*aggregates: Any) -> int:
        if not started:
            started.append(True)  # (meanwhile's own save goes straight through)
            done.append(meanwhile())
        return original(*aggregates)

    rigd.store.record = record  # type: ignore[method-assign]
    try:
        yield done
    finally:
        del rigd.store.record  # (the instance attribute: the method shows through again)


def deploy_request(**fields: Any) -> DeployRequest:
    return DeployRequest(project_id=PROJECT, capsule_id=CAPSULE, environment_id=ENVIRONMENT,
                         changes=[IMAGE], force=True, **fields)


def rollout_ids(capsules: capsule_grpc.ServiceStub) -> list[int]:
    listed = capsules.ListRollouts(pb.ListRolloutsRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                                          environment_id=ENVIRONMENT))
    return [r.rollout_id for r in listed.rollouts]


def environment_ids(rigd: Rigd, channel: grpc.Channel, written: int = 0) -> list[str]:
    """The environments listed once the read models have what `written` wrote."""
    assert rigd.wait_for(written, ("environments", "rollouts"))
    listed = environment_grpc.ServiceStub(channel).List(environment_pb.ListRequest())
    return [e.environment_id for e in listed.environments]


def test_a_capsules_first_deploy_decided_before_a_delete_saved_is_refused_after_it(
        rigd: Rigd, capsules: capsule_grpc.ServiceStub, channel: grpc.Channel) -> None:
    ctx = CommandContext()
    with (before_the_first_save(rigd, lambda: rigd.environments.delete(ctx, ENVIRONMENT, force=False)) as deleted,
          pytest.raises(EnvironmentNotFound)):
        rigd.capsules.deploys.deploy(ctx, deploy_request())
    assert deleted and ENVIRONMENT not in environment_ids(rigd, channel, deleted[0])
    capsule = rigd.capsules.commands.current_rollout_id(PROJECT, ENVIRONMENT, CAPSULE)
    assert capsule == 0  # no rollout slipped into the deleted environment


def test_a_later_deploy_decided_before_a_forced_delete_saved_is_refused_after_it(
        rigd: Rigd, capsules: capsule_grpc.ServiceStub, channel: grpc.Channel) -> None:
    assert deploy(capsules, c.Change(image_id=NGINX_ID)).rollout_id == 1
    ctx = CommandContext()
    with (before_the_first_save(rigd, lambda: rigd.environments.delete(ctx, ENVIRONMENT, force=True)) as deleted,
          pytest.raises(EnvironmentNotFound)):
        rigd.capsules.deploys.deploy(ctx, deploy_request())
    assert deleted and ENVIRONMENT not in environment_ids(rigd, channel, deleted[0])
    assert rigd.capsules.commands.current_rollout_id(PROJECT, ENVIRONMENT, CAPSULE) == 0
    stopped = capsules.GetRollout(pb.GetRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=1))
    assert stopped.rollout.status.state == status_pb2.STATE_STOPPED
    assert rollout_ids(capsules) == [1]


def test_a_delete_decided_before_a_deploy_saved_sees_the_new_rollout_and_refuses(
        rigd: Rigd, capsules: capsule_grpc.ServiceStub, channel: grpc.Channel) -> None:
    ctx = CommandContext()
    with (before_the_first_save(rigd, lambda: rigd.capsules.deploys.deploy(ctx, deploy_request())) as deployed,
          pytest.raises(EnvironmentHasRunningCapsules, match="'shop'/'web'")):
        rigd.environments.delete(ctx, ENVIRONMENT, force=False)
    assert deployed[0].rollout_id == 1
    assert ENVIRONMENT in environment_ids(rigd, channel)
    # and decided again with force, it stops the rollout the Deploy made
    with before_the_first_save(rigd, lambda: rigd.capsules.deploys.deploy(ctx, deploy_request())) as deployed:
        written = rigd.environments.delete(ctx, ENVIRONMENT, force=True)
    assert deployed[0].rollout_id == 2
    assert ENVIRONMENT not in environment_ids(rigd, channel, written)
    for rollout_id in (1, 2):
        got = capsules.GetRollout(pb.GetRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=rollout_id))
        assert got.rollout.status.state == status_pb2.STATE_STOPPED


def test_an_environment_created_again_starts_its_capsules_afresh(
        capsules: capsule_grpc.ServiceStub, channel: grpc.Channel) -> None:
    deploy(capsules, c.Change(image_id=NGINX_ID), c.Change(replicas=3))
    environments = environment_grpc.ServiceStub(channel)
    environments.Delete(environment_pb.DeleteRequest(environment_id=ENVIRONMENT, force=True))
    environments.Create(environment_pb.CreateRequest(environment_id=ENVIRONMENT))
    # the first Deploy to the new environment names no current rollout and starts from nothing
    with pytest.raises(grpc.RpcError) as stale:
        deploy(capsules, c.Change(replicas=2), current_rollout_id=1)
    assert stale.value.code() == grpc.StatusCode.ABORTED
    again = deploy(capsules, c.Change(image_id=NGINX_ID))
    assert again.rollout_id == 2 and again.rollout_config.replicas == 1
    # and a non-forced delete of the new environment sees the capsule running there
    with pytest.raises(grpc.RpcError) as refused:
        environments.Delete(environment_pb.DeleteRequest(environment_id=ENVIRONMENT))
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "'web'" in refused.value.details()


def test_a_capsule_deployed_before_environments_recorded_their_capsules_is_found_by_its_rollouts(
        rigd: Rigd, capsules: capsule_grpc.ServiceStub) -> None:
    """Rollouts recorded without the environment's record of the capsule (as rigd did before
    it kept one): the deletion finds the capsule through the rollouts read model."""
    from rigd.domain.capsule_commands import load_capsule
    from rigd.domain.context import acting
    from rigd.domain.rollouts import Rollout

    ctx = CommandContext()
    with acting(ctx):
        capsule = load_capsule(rigd.store, PROJECT, CAPSULE)
        rollout_id = capsule.start_rollout(ENVIRONMENT)
        rollout = Rollout(PROJECT, CAPSULE, ENVIRONMENT, rollout_id, {"image_id": NGINX_ID}, [], "", False)
        written = rigd.store.record(capsule, rollout)
    assert rigd.wait_for(written, ("rollouts",))
    with pytest.raises(EnvironmentHasRunningCapsules, match="'web'"):
        rigd.environments.delete(ctx, ENVIRONMENT, force=False)
    rigd.environments.delete(ctx, ENVIRONMENT, force=True)
    assert rigd.capsules.commands.current_rollout_id(PROJECT, ENVIRONMENT, CAPSULE) == 0
    assert rigd.store.load(rollout.id, Rollout).state == "STATE_STOPPED"
