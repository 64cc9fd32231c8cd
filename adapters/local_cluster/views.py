"""The port's answers from what the supervisors write: instance states and job executions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rigd.adapters.local_cluster.files import moment, read_json
from rigd.adapters.local_cluster.state import CapsuleState, ExecutionRecord, InstanceRecord
from rigd.domain.cluster_driver import InstanceState, JobExecution, JobState, Phase, Readiness, Termination

NODE = "local"


def instance_state(
    state: CapsuleState, record: InstanceRecord, probe: Callable[[InstanceRecord], bool]
) -> InstanceState:
    """`record` now. `probe` answers whether its readiness probe passes (True without one)."""
    status: dict[str, Any] = read_json(state.instance_folder(record.instance_id) / "status.json") or {}
    running = status.get("state") == "running" and status.get("pid") is not None
    phase, readiness, message = Phase.PENDING, Readiness.NOT_READY, ""
    if record.deleted_at is not None:
        phase, message = Phase.SUCCEEDED, "deleted"
    elif not record.alive():
        phase, message = Phase.FAILED, "the instance's supervisor has ended"
    elif status.get("state") == "backoff":
        phase, readiness = Phase.RUNNING, Readiness.CRASH_LOOP_BACKOFF
        message = f"back-off {status.get('backoff_seconds', 0):g}s restarting failed container"
    elif running:
        phase = Phase.RUNNING
        readiness = Readiness.READY if probe(record) else Readiness.NOT_READY
    return InstanceState(
        instance_id=record.instance_id,
        rollout_id=record.rollout_id,
        image=record.image,
        created_at=record.created_at,
        started_at=moment(status.get("started_at")) if running else None,
        phase=phase,
        readiness=readiness,
        restarts=max(0, int(status.get("container", 0)) - 1),
        fail_count=int(status.get("fail_count", 0)),
        failed_at=moment(status.get("failed_at")),
        last_termination=_termination(status.get("last_termination")),
        node=NODE,
        message=message,
        deleted_at=record.deleted_at,
    )


def _termination(data: dict[str, Any] | None) -> Termination | None:
    if not data:
        return None
    finished = moment(data.get("finished_at"))
    assert finished is not None
    return Termination(
        exit_code=int(data["exit_code"]),
        signal=int(data.get("signal", 0)),
        reason=data.get("reason", ""),
        started_at=moment(data.get("started_at")),
        finished_at=finished,
        message=data.get("message", ""),
        container_id=data.get("container_id", ""),
    )


def execution_status(state: CapsuleState, record: ExecutionRecord) -> dict[str, Any]:
    return read_json(state.execution_folder(record.execution_id) / "status.json") or {}


def job_execution(state: CapsuleState, record: ExecutionRecord) -> JobExecution:
    status = execution_status(state, record)
    job_state = JobState(status.get("job_state", "ONGOING"))
    finished = moment(status.get("finished_at"))
    if job_state is JobState.ONGOING and not (record.supervisor and record.supervisor.alive()):
        status = execution_status(state, record)  # it may have finished since it was read
        job_state = JobState(status.get("job_state", "TERMINATED"))
        if job_state is JobState.ONGOING:
            job_state = JobState.TERMINATED  # its supervisor was killed (with the machine, say)
        finished = moment(status.get("finished_at")) or finished or record.created_at
    return JobExecution(
        execution_id=record.execution_id,
        job_name=record.job_name,
        rollout_id=record.rollout_id,
        state=job_state,
        retries=int(status.get("retries", 0)),
        created_at=record.created_at,
        finished_at=finished,
    )
