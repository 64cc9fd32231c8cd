"""Job executions: each run of a capsule's cron job, as the deployer saw it on the cluster
(DESIGN: a job execution started or finished is an event; rig-behavior 4.7).

One aggregate per execution, its id stable in (project, environment, capsule, execution id):
the driver names an execution the same way for as long as it knows it, so the deployer's
polls record its start once and its end once, however often they see it, and two deployers
racing on it are decided by the event store."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.cluster_driver import CapsulePlace, JobExecution, JobState
from rigd.domain.context import CommandContext
from rigd.domain.event_store import EventStore
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent
from rigd.domain.identity import stable_id

ONGOING = JobState.ONGOING.value


def job_execution_id(project_id: str, environment_id: str, capsule_id: str, execution_id: str) -> UUID:
    return stable_id("job_execution", f"{project_id}/{environment_id}/{capsule_id}/{execution_id}")


class RecordedJobExecution(AuditedAggregate):
    TOPIC = "job_execution"

    class Created(AuditedCreated):
        """The deployer saw a new execution on the cluster (it started)."""

        TOPIC = "job_execution.Created"
        project_id: str
        environment_id: str
        capsule_id: str
        execution_id: str
        job_name: str
        rollout_id: int
        started_at: datetime

    class Finished(AuditedEvent):
        TOPIC = "job_execution.Finished"
        state: str  # COMPLETED, FAILED or TERMINATED (api.v1.capsule.JobState without its prefix)
        retries: int
        finished_at: datetime

    @staticmethod
    def create_id(project_id: str, environment_id: str, capsule_id: str, execution_id: str, **_: Any) -> UUID:
        return job_execution_id(project_id, environment_id, capsule_id, execution_id)

    @event(Created)
    def __init__(self, project_id: str, environment_id: str, capsule_id: str, execution_id: str, job_name: str,
                 rollout_id: int, started_at: datetime) -> None:
        self.execution_id = execution_id
        self.state = ONGOING

    @property
    def finished(self) -> bool:
        return self.state != ONGOING

    def finish(self, seen: JobExecution) -> bool:
        """Records the end `seen` shows, once; False when it has not ended or was recorded."""
        if self.finished or seen.state is JobState.ONGOING:
            return False
        self._finished(seen.state.value, seen.retries, seen.finished_at or seen.created_at)
        return True

    @event(Finished)
    def _finished(self, state: str, retries: int, finished_at: datetime) -> None:
        self.state = state


def started(place: CapsulePlace, seen: JobExecution) -> RecordedJobExecution:
    """A newly seen execution (and its end, when it has ended already)."""
    recorded = RecordedJobExecution(place.project_id, place.environment_id, place.capsule_id, seen.execution_id,
                                    seen.job_name, seen.rollout_id, seen.created_at)
    recorded.finish(seen)
    return recorded


class JobExecutionRecorder:
    """Records what the deployer's polls of a driver's job executions show that is new."""

    def __init__(self, store: EventStore) -> None:
        self._store = store
        self._finished: set[UUID] = set()  # recorded as finished: never loaded again

    def record(self, ctx: CommandContext, place: CapsulePlace, executions: list[JobExecution]) -> None:
        for seen in executions:
            aggregate_id = job_execution_id(place.project_id, place.environment_id, place.capsule_id,
                                            seen.execution_id)
            if aggregate_id in self._finished:
                continue
            if self._store.decide(ctx, functools.partial(self._decide, aggregate_id, place, seen)):
                self._finished.add(aggregate_id)

    def _decide(self, aggregate_id: UUID, place: CapsulePlace, seen: JobExecution) -> bool:
        recorded = self._store.load(aggregate_id, RecordedJobExecution)
        if recorded is None:
            recorded = started(place, seen)
            self._store.record(recorded)
        elif recorded.finish(seen):
            self._store.record(recorded)
        return recorded.finished
