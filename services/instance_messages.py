"""Instances on the wire: the legacy `capsule.Instance` and the staged `capsule.instance.Status`,
from the driver's `InstanceState`.

The staged status follows the life of a pod (rig-behavior 4.8): the schedule stage (placed on
a node), the preparing stage (the image pulled), the running stage (the main container's
executions and readiness) and, once the instance is gone, the deleted stage. Stage and step
names are the proto's field names (`schedule`, `placement`, `image_pulling`, ...)."""

from __future__ import annotations

from datetime import datetime

from rigd.domain.cluster_driver import ImagePull, InstanceState, Phase, Readiness, Termination
from rigd.proto.api.v1.capsule import instance_pb2
from rigd.proto.api.v1.capsule.instance import status_pb2 as st
from rigd.services.mapping import timestamp

_PHASES = {
    Phase.PENDING: instance_pb2.STATE_PENDING,
    Phase.RUNNING: instance_pb2.STATE_RUNNING,
    Phase.SUCCEEDED: instance_pb2.STATE_SUCCEEDED,
    Phase.FAILED: instance_pb2.STATE_FAILED,
}
_READINESS = {
    Readiness.READY: (st.READY_STATE_READY, st.STEP_STATE_DONE),
    Readiness.NOT_READY: (st.READY_STATE_NOT_READY, st.STEP_STATE_ONGOING),
    Readiness.CRASH_LOOP_BACKOFF: (st.READY_STATE_CRASH_LOOP_BACKOFF, st.STEP_STATE_FAILED),
}
_PULLS = {
    ImagePull.PULLING: (st.IMAGE_PULLING_STATE_PULLING, st.STEP_STATE_ONGOING, st.STAGE_STATE_ONGOING),
    ImagePull.BACK_OFF: (st.IMAGE_PULLING_STATE_BACK_OFF, st.STEP_STATE_ONGOING, st.STAGE_STATE_ONGOING),
    ImagePull.ERROR: (st.IMAGE_PULLING_STATE_ERROR, st.STEP_STATE_FAILED, st.STAGE_STATE_FAILED),
    ImagePull.DONE: (st.IMAGE_PULLING_STATE_DONE, st.STEP_STATE_DONE, st.STAGE_STATE_DONE),
}


def instance_message(instance: InstanceState) -> instance_pb2.Instance:
    """The legacy `Instance` (ListInstances)."""
    message = instance_pb2.Instance(
        instance_id=instance.instance_id,
        image_id=instance.image,
        state=_PHASES[instance.phase],
        restart_count=instance.restarts,
        created_at=timestamp(instance.created_at),
        message=instance.message,
        rollout_id=instance.rollout_id,
    )
    if instance.started_at is not None:
        message.started_at.CopyFrom(timestamp(instance.started_at))
    finished = _finished_at(instance)
    if finished is not None:
        message.finished_at.CopyFrom(timestamp(finished))
    return message


def _finished_at(instance: InstanceState) -> datetime | None:
    if instance.deleted_at is not None:
        return instance.deleted_at
    if instance.phase in (Phase.SUCCEEDED, Phase.FAILED) and instance.last_termination is not None:
        return instance.last_termination.finished_at
    return None


def status_message(instance: InstanceState, capsule_id: str) -> st.Status:
    """The staged `instance.Status` (GetInstanceStatus, ListInstanceStatuses). The main
    container is named after the capsule, as the operator names it."""
    container = st.ContainerInfo(name=capsule_id, type=st.CONTAINER_TYPE_MAIN)
    stages = st.Stages(
        schedule=_schedule(instance),
        preparing=_preparing(instance, container),
    )
    if instance.phase is not Phase.PENDING or instance.started_at is not None:
        stages.running.CopyFrom(_running(instance, container))
    if instance.deleted_at is not None:
        stages.deleted.info.CopyFrom(
            st.StageInfo(name="deleted", updated_at=timestamp(instance.deleted_at), state=st.STAGE_STATE_DONE))
    return st.Status(
        instance_id=instance.instance_id,
        stages=stages,
        rollout_id=instance.rollout_id,
        image=instance.image,
        created_at=timestamp(instance.created_at),
    )


def _schedule(instance: InstanceState) -> st.SchedulingStage:
    created = timestamp(instance.created_at)
    placement = st.PlacementStep(
        info=st.StepInfo(name="placement", message=f"placed on node {instance.node}" if instance.node else "",
                         updated_at=created, state=st.STEP_STATE_DONE),
        node=instance.node,
    )
    return st.SchedulingStage(
        info=st.StageInfo(name="schedule", updated_at=created, state=st.STAGE_STATE_DONE),
        steps=[st.SchedulingStep(placement=placement)],
    )


def _preparing(instance: InstanceState, container: st.ContainerInfo) -> st.PreparingStage:
    pull_state, step_state, stage_state = _PULLS[instance.image_pull]
    created = timestamp(instance.created_at)
    pulling = st.ImagePullingStep(
        info=st.StepInfo(name="image_pulling", updated_at=created, state=step_state, container=container),
        state=pull_state,
        image=instance.image,
    )
    return st.PreparingStage(
        info=st.StageInfo(name="preparing", updated_at=created, state=stage_state),
        steps=[st.PreparingStep(image_pulling=pulling)],
    )


def _running(instance: InstanceState, container: st.ContainerInfo) -> st.RunningStage:
    updated = timestamp(instance.started_at or instance.failed_at or instance.created_at)
    ready_state, ready_step_state = _READINESS[instance.readiness]
    ready = st.ReadyStep(
        info=st.StepInfo(name="ready", message=instance.message if instance.started_at is None else "",
                         updated_at=updated, state=ready_step_state, container=container),
        state=ready_state,
        fail_count=instance.fail_count,
    )
    if instance.failed_at is not None:
        ready.failed_at.CopyFrom(timestamp(instance.failed_at))
    executing = st.ExecutingStep(
        info=st.StepInfo(name="executing", updated_at=updated, state=_executing_state(instance), container=container),
        restarts=instance.restarts,
    )
    if instance.started_at is not None:
        executing.started_at.CopyFrom(timestamp(instance.started_at))
    stage = st.RunningStage(
        info=st.StageInfo(name="running", updated_at=updated, state=_running_state(instance)),
        steps=[st.RunningStep(ready=ready), st.RunningStep(executing=executing)],
        restarts=instance.restarts,
    )
    if instance.last_termination is not None:
        termination = _termination(instance.last_termination)
        executing.last_container_termination.CopyFrom(termination)
        stage.last_container_termination.CopyFrom(termination)
        if instance.started_at is None:
            executing.finished_at.CopyFrom(termination.finished_at)
    return stage


def _progress(instance: InstanceState) -> str:
    """Where the instance's main container is: failed, done, running or ongoing (not started)."""
    if instance.readiness is Readiness.CRASH_LOOP_BACKOFF or instance.phase is Phase.FAILED:
        return "failed"
    if instance.phase is Phase.SUCCEEDED:
        return "done"
    return "running" if instance.started_at is not None else "ongoing"


_STEP_STATES = {"failed": st.STEP_STATE_FAILED, "done": st.STEP_STATE_DONE,
                "running": st.STEP_STATE_RUNNING, "ongoing": st.STEP_STATE_ONGOING}
_STAGE_STATES = {"failed": st.STAGE_STATE_FAILED, "done": st.STAGE_STATE_DONE,
                 "running": st.STAGE_STATE_RUNNING, "ongoing": st.STAGE_STATE_ONGOING}


def _executing_state(instance: InstanceState) -> st.StepState:
    return _STEP_STATES[_progress(instance)]


def _running_state(instance: InstanceState) -> st.StageState:
    return _STAGE_STATES[_progress(instance)]


def _termination(termination: Termination) -> st.ContainerTermination:
    message = st.ContainerTermination(
        exit_code=termination.exit_code,
        signal=termination.signal,
        reason=termination.reason,
        message=termination.message,
        finished_at=timestamp(termination.finished_at),
        container_id=termination.container_id,
    )
    if termination.started_at is not None:
        message.started_at.CopyFrom(timestamp(termination.started_at))
    return message
