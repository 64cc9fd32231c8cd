"""The rollouts read model: each rollout's config and status, and its rollout events
(capsule.Service GetRollout, ListRollouts, ListEvents), and its queries.

Configs are kept as responses show them: secret file contents (sealed in the events) are
left out here, so not even their sealed form reaches the read database.

A rollout's end (aborted, replaced, stopped, failed) stops every stage it reached. Rather than
reading the stages to rewrite them, the end is kept beside them (`stages_ended_at`) and applied
as they are read, or before the next change that does read them: ending the previous rollout
is part of most Deploys, and this way it costs one statement in their transaction, with no
answer to wait for while it holds the events table's lock."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rigd.domain.capsules import Capsule, capsule_aggregate_id
from rigd.domain.context import Actor
from rigd.domain.naming import require
from rigd.domain.rollout_config import Config, redact_secrets
from rigd.domain.rollout_stages import ALL_RUNNING_MESSAGE
from rigd.domain.rollouts import (
    ABORTED_MESSAGE,
    CONFIGURE,
    FAILED,
    INITIATED_MESSAGE,
    RESOURCE_CREATION,
    RUNNING,
    STOPPED,
    STOPPED_MESSAGE,
    Rollout,
    RolloutNotFound,
)
from rigd.projections import rollout_status
from rigd.projections.capsules import actor_of, actor_text
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.pagination import Page, select_page
from rigd.projections.read_model import ReadModel, from_micros, handles, micros

ROLLOUT_EVENT, ERROR_EVENT, ABORT_EVENT = "rollout", "error", "abort"  # the kinds of api.v1.capsule.EventData
CONFIGURED_MESSAGE = "cluster resources configured"
CREATED_MESSAGE = "cluster resources created"
RUNNING_MESSAGE = "rollout running: waiting for its instances to be ready"
REMOVED_MESSAGE = "cluster resources removed"


@dataclass(frozen=True)
class RolloutView:
    rollout_id: int
    environment_id: str
    config: Config  # redacted
    changes: list[dict[str, Any]]
    message: str
    created_by: Actor
    created_at: datetime
    state: str
    result: str
    updated_at: datetime
    stages: rollout_status.Stages  # see projections.rollout_status


@dataclass(frozen=True)
class RolloutEventView:
    rollout_id: int
    kind: str
    message: str
    created_by: Actor
    created_at: datetime


class RolloutsReadModel(ReadModel):
    name = "rollouts"
    version = 4  # 2: the stages the deployer records; 3: a rollout's end kept beside its stages;
    # 4: the generic steps around the objects' own (commit, wait) and the config objects used
    tables = ("rm_rollouts", "rm_rollout_events")

    @property
    def rollouts(self) -> str:
        return self.table("rm_rollouts")

    @property
    def events(self) -> str:
        return self.table("rm_rollout_events")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {self.rollouts} ("
            " aggregate_id TEXT PRIMARY KEY, capsule_aggregate_id TEXT NOT NULL,"
            " project_id TEXT NOT NULL, capsule_id TEXT NOT NULL, environment_id TEXT NOT NULL,"
            " rollout_id BIGINT NOT NULL, config TEXT NOT NULL, changes TEXT NOT NULL, message TEXT NOT NULL,"
            " created_by TEXT NOT NULL, created_at BIGINT NOT NULL, state TEXT NOT NULL, result TEXT NOT NULL,"
            " updated_at BIGINT NOT NULL, deleted INTEGER NOT NULL, stages TEXT NOT NULL,"
            " stages_ended_at BIGINT NOT NULL, instances_done INTEGER NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {self.rollouts}_watched ON {self.rollouts} (state, instances_done, deleted)")
        cursor.execute(f"CREATE INDEX {self.rollouts}_listing ON {self.rollouts}"
                       " (project_id, capsule_id, environment_id, deleted, rollout_id)")
        cursor.execute(f"CREATE INDEX {self.rollouts}_by_id ON {self.rollouts} (project_id, capsule_id, rollout_id)")
        cursor.execute(f"CREATE INDEX {self.rollouts}_by_capsule ON {self.rollouts} (capsule_aggregate_id)")
        cursor.execute(f"CREATE INDEX {self.rollouts}_running ON {self.rollouts} (environment_id, deleted, state)")
        cursor.execute(
            f"CREATE TABLE {self.events} ("
            " sequence BIGINT PRIMARY KEY, rollout_aggregate_id TEXT NOT NULL, capsule_aggregate_id TEXT NOT NULL,"
            " project_id TEXT NOT NULL, capsule_id TEXT NOT NULL, environment_id TEXT NOT NULL,"
            " rollout_id BIGINT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL, created_by TEXT NOT NULL,"
            " created_at BIGINT NOT NULL, deleted INTEGER NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {self.events}_by_rollout ON {self.events}"
                       " (project_id, capsule_id, environment_id, deleted, rollout_id, sequence)")
        cursor.execute(f"CREATE INDEX {self.events}_by_capsule ON {self.events}"
                       " (project_id, capsule_id, environment_id, deleted, sequence)")
        cursor.execute(f"CREATE INDEX {self.events}_capsule_aggregate ON {self.events} (capsule_aggregate_id)")

    @handles(Rollout.Created)
    def _created(self, event: Rollout.Created, notification_id: int, cursor: Cursor) -> None:
        at, capsule = micros(event.timestamp), str(capsule_aggregate_id(event.project_id, event.capsule_id))
        cursor.execute(
            f"INSERT INTO {self.rollouts} (aggregate_id, capsule_aggregate_id, project_id, capsule_id,"
            " environment_id, rollout_id, config, changes, message, created_by, created_at, state, result,"
            " updated_at, deleted, stages, stages_ended_at, instances_done)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, '{}', 0, 0)",
            (str(event.originator_id), capsule, event.project_id, event.capsule_id, event.environment_id,
             event.rollout_id, json.dumps(redact_secrets(event.config)), json.dumps(event.changes), event.message,
             actor_text(event.actor), at, "STATE_PREPARING", "RESULT_UNSPECIFIED", at),
        )
        self._event(cursor, event, notification_id, ROLLOUT_EVENT, INITIATED_MESSAGE)

    @handles(Rollout.Aborted)
    def _aborted(self, event: Rollout.Aborted, notification_id: int, cursor: Cursor) -> None:
        self._ended(cursor, event, "RESULT_ABORTED")
        self._event(cursor, event, notification_id, ABORT_EVENT, ABORTED_MESSAGE)

    @handles(Rollout.Stopped)
    def _stopped(self, event: Rollout.Stopped, notification_id: int, cursor: Cursor) -> None:
        self._ended(cursor, event, None)
        self._event(cursor, event, notification_id, ROLLOUT_EVENT, STOPPED_MESSAGE)

    @handles(Rollout.Replaced)
    def _replaced(self, event: Rollout.Replaced, notification_id: int, cursor: Cursor) -> None:
        self._ended(cursor, event, "RESULT_REPLACED")
        self._event(cursor, event, notification_id, ROLLOUT_EVENT, f"replaced by rollout {event.by_rollout_id}")

    @handles(Rollout.Configured)
    def _configured(self, event: Rollout.Configured, notification_id: int, cursor: Cursor) -> None:
        self._status(cursor, event, CONFIGURE, None, lambda s, at: rollout_status.configured(s, event.steps, at))
        self._event(cursor, event, notification_id, ROLLOUT_EVENT, CONFIGURED_MESSAGE)

    @handles(Rollout.ResourcesCreated)
    def _resources_created(self, event: Rollout.ResourcesCreated, notification_id: int, cursor: Cursor) -> None:
        self._status(cursor, event, RESOURCE_CREATION, None,
                     lambda s, at: rollout_status.resources_created(s, event.steps, at))
        self._event(cursor, event, notification_id, ROLLOUT_EVENT, CREATED_MESSAGE)

    @handles(Rollout.RunningStarted)
    def _running_started(self, event: Rollout.RunningStarted, notification_id: int, cursor: Cursor) -> None:
        self._status(cursor, event, RUNNING, None, rollout_status.running_started)
        self._event(cursor, event, notification_id, ROLLOUT_EVENT, RUNNING_MESSAGE)

    @handles(Rollout.InstancesReady)
    def _instances_ready(self, event: Rollout.InstancesReady, notification_id: int, cursor: Cursor) -> None:
        counts = {"num_updated": event.num_updated, "num_ready": event.num_ready, "num_stuck": event.num_stuck,
                  "num_wrong_version": event.num_wrong_version}
        self._status(cursor, event, None, None, lambda s, at: rollout_status.instances_ready(s, counts, at))
        cursor.execute(f"UPDATE {self.rollouts} SET instances_done = 1 WHERE aggregate_id = $1",
                       (str(event.originator_id),))
        self._event(cursor, event, notification_id, ROLLOUT_EVENT, ALL_RUNNING_MESSAGE)

    @handles(Rollout.InstancesCounted)
    def _instances_counted(self, event: Rollout.InstancesCounted, notification_id: int, cursor: Cursor) -> None:
        counts = {"num_updated": event.num_updated, "num_ready": event.num_ready, "num_stuck": event.num_stuck,
                  "num_wrong_version": event.num_wrong_version}
        self._status(cursor, event, None, None, lambda s, at: rollout_status.instances_counted(s, counts, at))

    @handles(Rollout.InstancesStuck)
    def _instances_stuck(self, event: Rollout.InstancesStuck, notification_id: int, cursor: Cursor) -> None:
        self._status(cursor, event, None, None,
                     lambda s, at: rollout_status.instances_stuck(s, event.num_stuck, event.message, at))
        self._event(cursor, event, notification_id, ERROR_EVENT, event.message)

    @handles(Rollout.ApplyFailed)
    def _apply_failed(self, event: Rollout.ApplyFailed, notification_id: int, cursor: Cursor) -> None:
        if event.permanent:
            self._ended(cursor, event, FAILED)
        self._event(cursor, event, notification_id, ERROR_EVENT, event.message)

    @handles(Rollout.ResourcesRemoved)
    def _resources_removed(self, event: Rollout.ResourcesRemoved, notification_id: int, cursor: Cursor) -> None:
        self._ended(cursor, event, None, again=True)
        self._event(cursor, event, notification_id, ROLLOUT_EVENT, REMOVED_MESSAGE)

    @handles(Capsule.Deleted)
    def _capsule_deleted(self, event: Capsule.Deleted, notification_id: int, cursor: Cursor) -> None:
        # A capsule created again starts with no rollouts to show (its ids continue, though).
        for table in (self.rollouts, self.events):
            cursor.execute(f"UPDATE {table} SET deleted = 1 WHERE capsule_aggregate_id = $1",
                           (str(event.originator_id),))

    def _ended(self, cursor: Cursor, event: Any, result: str | None, again: bool = False) -> None:
        """The rollout stopped (with `result`, when given), and every stage it reached with it,
        without reading the stages (see the module's doc). `again`: what happens to a stopped
        rollout afterwards moves its status's time only; its stages stay as they ended."""
        # (a stop after an abort or a failure: the stages ended with the first end)
        ended = "" if again else ", stages_ended_at = CASE WHEN stages_ended_at = 0 THEN $3 ELSE stages_ended_at END"
        cursor.execute(f"UPDATE {self.rollouts} SET state = $1, result = COALESCE($2, result), updated_at = $3{ended}"
                       " WHERE aggregate_id = $4", (STOPPED, result, micros(event.timestamp), str(event.originator_id)))

    def _status(self, cursor: Cursor, event: Any, state: str | None, result: str | None,
                change: Callable[[rollout_status.Stages, int], None]) -> None:
        """Moves the rollout's state (and result) when given, and changes its stages."""
        at, rollout = micros(event.timestamp), str(event.originator_id)
        cursor.execute(f"SELECT state, result, stages, stages_ended_at FROM {self.rollouts} WHERE aggregate_id = $1",
                       (rollout,))
        row = cursor.fetchone()
        if row is None:
            return
        stages = _stages(row[2], row[3])
        change(stages, at)
        cursor.execute(f"UPDATE {self.rollouts} SET state = $1, result = $2, stages = $3, stages_ended_at = 0,"
                       " updated_at = $4 WHERE aggregate_id = $5",
                       (state or row[0], result or row[1], json.dumps(stages), at, rollout))

    def _event(self, cursor: Cursor, event: Any, notification_id: int, kind: str, message: str) -> None:
        cursor.execute(
            f"INSERT INTO {self.events} (sequence, rollout_aggregate_id, capsule_aggregate_id, project_id,"
            " capsule_id, environment_id, rollout_id, kind, message, created_by, created_at, deleted)"
            f" SELECT $1, aggregate_id, capsule_aggregate_id, project_id, capsule_id, environment_id, rollout_id,"
            f" $2, $3, $4, $5, deleted FROM {self.rollouts} WHERE aggregate_id = $6",
            (notification_id, kind, message, actor_text(event.actor), micros(event.timestamp),
             str(event.originator_id)),
        )


_COLUMNS = ("rollout_id, environment_id, config, changes, message, created_by, created_at, state, result,"
            " updated_at, stages, stages_ended_at")
_EVENT_COLUMNS = "rollout_id, kind, message, created_by, created_at"


def _stages(document: str, ended_at: int) -> rollout_status.Stages:
    """The stages as kept, with the rollout's end applied if it has one (see the module's doc)."""
    stages: rollout_status.Stages = json.loads(document)
    if ended_at:
        rollout_status.ended(stages, int(ended_at))
    return stages


def _view(row: tuple[Any, ...]) -> RolloutView:
    return RolloutView(int(row[0]), row[1], json.loads(row[2]), json.loads(row[3]), row[4], actor_of(row[5]),
                       from_micros(row[6]), row[7], row[8], from_micros(row[9]), _stages(row[10], row[11]))


def _event_view(row: tuple[Any, ...]) -> RolloutEventView:
    return RolloutEventView(int(row[0]), row[1], row[2], actor_of(row[3]), from_micros(row[4]))


class RolloutQueries:
    read_models = ("rollouts",)

    def __init__(self, database: ReadDatabase, model: RolloutsReadModel | None = None) -> None:
        self._database = database
        self._model = model or RolloutsReadModel()

    def get(self, project_id: str, capsule_id: str, rollout_id: int) -> RolloutView:
        require(project_id, "project_id")
        require(capsule_id, "capsule_id")
        with self._database.snapshot() as cursor:
            rollouts = self._model.live(cursor).rollouts
            cursor.execute(f"SELECT {_COLUMNS} FROM {rollouts} WHERE project_id = $1 AND capsule_id = $2"
                           " AND rollout_id = $3 AND deleted = 0", (project_id, capsule_id, rollout_id))
            row = cursor.fetchone()
        if row is None:
            raise RolloutNotFound(capsule_id, rollout_id)
        return _view(row)

    def list_page(self, project_id: str, capsule_id: str, environment_id: str,
                  page: Page) -> tuple[list[RolloutView], int]:
        """One page of the capsule's rollouts in the environment, by rollout id, and the total."""
        require(project_id, "project_id")
        require(capsule_id, "capsule_id")
        with self._database.snapshot() as cursor:
            rollouts = self._model.live(cursor).rollouts
            rows, total = select_page(
                cursor, rollouts, _COLUMNS, "project_id = $1 AND capsule_id = $2 AND environment_id = $3"
                " AND deleted = 0", (project_id, capsule_id, environment_id), page, "rollout_id")
        return [_view(row) for row in rows], total

    def events_page(self, project_id: str, capsule_id: str, environment_id: str, rollout_id: int,
                    page: Page) -> tuple[list[RolloutEventView], int]:
        """One page of the rollout events (of one rollout, or of all when `rollout_id` is 0)."""
        require(project_id, "project_id")
        require(capsule_id, "capsule_id")
        where = "project_id = $1 AND capsule_id = $2 AND environment_id = $3 AND deleted = 0"
        params: tuple[Any, ...] = (project_id, capsule_id, environment_id)
        if rollout_id:
            where, params = where + " AND rollout_id = $4", (*params, rollout_id)
        with self._database.snapshot() as cursor:
            events = self._model.live(cursor).events
            rows, total = select_page(cursor, events, _EVENT_COLUMNS, where, params, page, "sequence")
        return [_event_view(row) for row in rows], total

    def running(self) -> list[tuple[str, str, int]]:
        """(project, capsule, rollout id) of every rollout in its running stage (what a
        restarted deployer watches again)."""
        with self._database.snapshot() as cursor:
            rollouts = self._model.live(cursor).rollouts
            cursor.execute(f"SELECT project_id, capsule_id, rollout_id FROM {rollouts} WHERE state = $1"
                           " AND deleted = 0", (RUNNING,))
            return [(row[0], row[1], int(row[2])) for row in cursor.fetchall()]

    def capsules_in(self, environment_id: str) -> list[tuple[str, str]]:
        """(project, capsule) of every live capsule with a rollout in the environment."""
        with self._database.snapshot() as cursor:
            rollouts = self._model.live(cursor).rollouts
            cursor.execute(f"SELECT DISTINCT project_id, capsule_id FROM {rollouts} WHERE environment_id = $1"
                           " AND deleted = 0 ORDER BY project_id, capsule_id", (environment_id,))
            return [(row[0], row[1]) for row in cursor.fetchall()]
