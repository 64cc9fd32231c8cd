"""A rollout's instance counts reach GetRollout while its instances step waits, on SQLite and
PostgreSQL (the counts recorded as the watcher records them; tests/unit/test_instance_counts.py
covers when it does)."""

from __future__ import annotations

from collections.abc import Callable

import grpc

from rigd.domain.context import CommandContext, acting
from rigd.domain.rollouts import Rollout, rollout_aggregate_id
from rigd.proto.api.v1.capsule import change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule.rollout import status_pb2
from rigd.services.composition import Rigd
from tests.integration.test_capsules import CAPSULE, NGINX_ID, PROJECT, deploy, prepared_capsules


def running(rigd: Rigd, rollout_id: int, instances: Callable[[Rollout], object]) -> int:
    """Records the rollout configured, created and running, then what `instances` records of
    its instances, as the deployer and its watcher record them; returns the notification id."""
    with acting(CommandContext()):
        rollout = rigd.store.load(rollout_aggregate_id(PROJECT, CAPSULE, rollout_id), Rollout)
        assert rollout is not None
        rollout.configure([])
        rollout.create_resources([])
        rollout.start_running()
        instances(rollout)
        return rigd.store.record(rollout)


def test_get_rollout_shows_the_instance_counts_before_the_step_is_done(rigd: Rigd, channel: grpc.Channel) -> None:
    capsules = prepared_capsules(channel)
    rollout_id = deploy(capsules, change_pb2.Change(image_id=NGINX_ID), change_pb2.Change(replicas=3)).rollout_id
    written = running(rigd, rollout_id, lambda rollout: rollout.count_instances(2, 1, 0, 1))
    assert rigd.wait_for(written, ("rollouts",))
    got = capsules.GetRollout(pb.GetRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=rollout_id))
    (step,) = [s.instances for s in got.rollout.status.stages.running.steps if s.WhichOneof("step") == "instances"]
    assert (step.num_updated, step.num_ready, step.num_stuck, step.num_wrong_version) == (2, 1, 0, 1)
    assert step.info.state == status_pb2.STEP_STATE_ONGOING


def test_a_replaced_rollout_shows_every_stage_it_reached_stopped_when_it_ended(
        rigd: Rigd, channel: grpc.Channel) -> None:
    """The rollouts read model keeps an end beside the stages (no read of them in the Deploy
    that ends a rollout) and applies it as they are read."""
    capsules = prepared_capsules(channel)
    first = deploy(capsules, change_pb2.Change(image_id=NGINX_ID)).rollout_id
    running(rigd, first, lambda rollout: rollout.complete_instances(1, 1, 0, 0))
    deploy(capsules, change_pb2.Change(replicas=2))
    get = pb.GetRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=first)
    status = capsules.GetRollout(get).rollout.status
    stages = [status.stages.configure.info, status.stages.resource_creation.info, status.stages.running.info]
    assert (status.state, status.result) == (status_pb2.STATE_STOPPED, status_pb2.RESULT_REPLACED)
    assert [stage.state for stage in stages] == [status_pb2.STAGE_STATE_STOPPED] * 3
    assert {stage.updated_at.ToMicroseconds() for stage in stages} == {status.updated_at.ToMicroseconds()}
    with acting(CommandContext()):  # what happens after the end leaves the stages as they ended
        ended = rigd.store.load(rollout_aggregate_id(PROJECT, CAPSULE, first), Rollout)
        assert ended is not None and ended.remove_resources([])
        written = rigd.store.record(ended)
    assert rigd.wait_for(written, ("rollouts",))
    later = capsules.GetRollout(get).rollout.status
    assert later.updated_at.ToMicroseconds() > status.updated_at.ToMicroseconds()
    assert later.stages == status.stages
