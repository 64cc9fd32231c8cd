"""The job executions read model (capsule.Service GetJobExecutions) and its queries: one row
per execution the deployer recorded, filtered by job, state and creation time, newest or
oldest first. A deleted capsule's executions are hidden (a revived capsule starts afresh)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rigd.domain.capsules import Capsule, capsule_aggregate_id
from rigd.domain.job_executions import RecordedJobExecution
from rigd.domain.naming import require
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.pagination import Page, select_page
from rigd.projections.read_model import ReadModel, from_micros, handles, micros


@dataclass(frozen=True)
class JobExecutionView:
    project_id: str
    environment_id: str
    capsule_id: str
    execution_id: str
    job_name: str
    rollout_id: int
    state: str  # ONGOING, COMPLETED, FAILED or TERMINATED
    retries: int
    created_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True)
class JobExecutionFilter:
    job_name: str = ""
    states: Sequence[str] = ()
    created_from: datetime | None = None
    created_to: datetime | None = None


class JobExecutionsReadModel(ReadModel):
    name = "job_executions"
    version = 1
    tables = ("rm_job_executions",)

    @property
    def executions(self) -> str:
        return self.table("rm_job_executions")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {self.executions} ("
            " aggregate_id TEXT PRIMARY KEY, capsule_aggregate_id TEXT NOT NULL, project_id TEXT NOT NULL,"
            " environment_id TEXT NOT NULL, capsule_id TEXT NOT NULL, execution_id TEXT NOT NULL,"
            " job_name TEXT NOT NULL, rollout_id BIGINT NOT NULL, state TEXT NOT NULL, retries BIGINT NOT NULL,"
            " created_at BIGINT NOT NULL, finished_at BIGINT, deleted INTEGER NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {self.executions}_listing ON {self.executions}"
                       " (project_id, capsule_id, environment_id, deleted, created_at)")
        cursor.execute(f"CREATE INDEX {self.executions}_by_capsule ON {self.executions} (capsule_aggregate_id)")

    @handles(RecordedJobExecution.Created)
    def _started(self, event: RecordedJobExecution.Created, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"INSERT INTO {self.executions} (aggregate_id, capsule_aggregate_id, project_id, environment_id,"
            " capsule_id, execution_id, job_name, rollout_id, state, retries, created_at, finished_at, deleted)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ONGOING', 0, $9, NULL, 0)",
            (str(event.originator_id), str(capsule_aggregate_id(event.project_id, event.capsule_id)),
             event.project_id, event.environment_id, event.capsule_id, event.execution_id, event.job_name,
             event.rollout_id, micros(event.started_at)),
        )

    @handles(RecordedJobExecution.Finished)
    def _finished(self, event: RecordedJobExecution.Finished, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"UPDATE {self.executions} SET state = $1, retries = $2, finished_at = $3"
                       " WHERE aggregate_id = $4",
                       (event.state, event.retries, micros(event.finished_at), str(event.originator_id)))

    @handles(Capsule.Deleted)
    def _capsule_deleted(self, event: Capsule.Deleted, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"UPDATE {self.executions} SET deleted = 1 WHERE capsule_aggregate_id = $1",
                       (str(event.originator_id),))


_COLUMNS = ("project_id, environment_id, capsule_id, execution_id, job_name, rollout_id, state, retries,"
            " created_at, finished_at")


def _view(row: tuple[Any, ...]) -> JobExecutionView:
    return JobExecutionView(row[0], row[1], row[2], row[3], row[4], int(row[5]), row[6], int(row[7]),
                            from_micros(row[8]), None if row[9] is None else from_micros(row[9]))


class JobExecutionQueries:
    read_models = ("job_executions",)

    def __init__(self, database: ReadDatabase, model: JobExecutionsReadModel | None = None) -> None:
        self._database = database
        self._model = model or JobExecutionsReadModel()

    def page(self, project_id: str, capsule_id: str, environment_id: str, wanted: JobExecutionFilter,
             page: Page) -> tuple[list[JobExecutionView], int]:
        """One page of the capsule's executions in the environment, by creation time, and the total."""
        require(project_id, "project_id")
        require(capsule_id, "capsule_id")
        where = ["project_id = $1", "capsule_id = $2", "environment_id = $3", "deleted = 0"]
        params: list[Any] = [project_id, capsule_id, environment_id]

        def condition(text: str, value: Any) -> None:
            params.append(value)
            where.append(text.replace("?", f"${len(params)}"))

        if wanted.job_name:
            condition("job_name = ?", wanted.job_name)
        if wanted.states:
            marks = []
            for state in wanted.states:
                params.append(state)
                marks.append(f"${len(params)}")
            where.append(f"state IN ({', '.join(marks)})")
        if wanted.created_from is not None:
            condition("created_at >= ?", micros(wanted.created_from))
        if wanted.created_to is not None:
            condition("created_at <= ?", micros(wanted.created_to))
        with self._database.snapshot() as cursor:
            table = self._model.live(cursor).executions
            rows, total = select_page(cursor, table, _COLUMNS, " AND ".join(where), tuple(params), page,
                                      "created_at")
        return [_view(row) for row in rows], total
