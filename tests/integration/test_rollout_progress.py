"""A rollout's instance counts reach GetRollout while its instances step waits, on SQLite and
PostgreSQL (the counts recorded as the watcher records them; tests/unit/test_instance_counts.py
covers when it does)."""

from __future__ import annotations

import grpc

from rigd.domain.context import CommandContext, acting
from rigd.domain.rollouts import Rollout, rollout_aggregate_id
from rigd.proto.api.v1.capsule import change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule.rollout import status_pb2
from rigd.services.composition import Rigd
from tests.integration.test_capsules import CAPSULE, NGINX_ID, PROJECT, deploy, prepared_capsules


def test_get_rollout_shows_the_instance_counts_before_the_step_is_done(rigd: Rigd, channel: grpc.Channel) -> None:
    capsules = prepared_capsules(channel)
    rollout_id = deploy(capsules, change_pb2.Change(image_id=NGINX_ID), change_pb2.Change(replicas=3)).rollout_id
    with acting(CommandContext()):  # as the deployer and its watcher record them
        rollout = rigd.store.load(rollout_aggregate_id(PROJECT, CAPSULE, rollout_id), Rollout)
        assert rollout is not None
        rollout.configure([])
        rollout.create_resources([])
        rollout.start_running()
        rollout.count_instances(2, 1, 0, 1)
        written = rigd.store.record(rollout)
    assert rigd.wait_for(written, ("rollouts",))
    got = capsules.GetRollout(pb.GetRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=rollout_id))
    (step,) = [s.instances for s in got.rollout.status.stages.running.steps if s.WhichOneof("step") == "instances"]
    assert (step.num_updated, step.num_ready, step.num_stuck, step.num_wrong_version) == (2, 1, 0, 1)
    assert step.info.state == status_pb2.STEP_STATE_ONGOING
