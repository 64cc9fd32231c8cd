"""The capsules read model (capsule.Service Get and List) and its queries."""

from __future__ import annotations

import json
from typing import Any

from rigd.domain.capsules import Capsule, CapsuleNotFound, CapsuleSummary
from rigd.domain.context import Actor
from rigd.domain.naming import require
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.pagination import Page, select_page
from rigd.projections.read_model import ReadModel, from_micros, handles, micros


def actor_text(actor: Actor) -> str:
    return json.dumps([actor.identifier, actor.printable_name, actor.user_id, actor.service_account_id])


def actor_of(text: str) -> Actor:
    return Actor(*json.loads(text))


class CapsulesReadModel(ReadModel):
    """One row per capsule ever created; deleted ones are kept (hidden) so that a revived
    capsule finds its row again. A Deploy is the rollout's, not an update of the capsule:
    this read model does not follow Deploys (so a Deploy costs it nothing)."""

    name = "capsules"
    version = 1
    tables = ("rm_capsules",)

    @property
    def capsules(self) -> str:
        return self.table("rm_capsules")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {self.capsules} ("
            " aggregate_id TEXT PRIMARY KEY,"
            " project_id TEXT NOT NULL,"
            " capsule_id TEXT NOT NULL,"
            " updated_by TEXT NOT NULL,"
            " updated_at BIGINT NOT NULL,"
            " sequence BIGINT NOT NULL,"
            " deleted INTEGER NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {self.capsules}_listing ON {self.capsules} (project_id, deleted, sequence)")
        cursor.execute(f"CREATE INDEX {self.capsules}_by_id ON {self.capsules} (project_id, capsule_id)")

    @handles(Capsule.Created)
    def _created(self, event: Capsule.Created, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"INSERT INTO {self.capsules} (aggregate_id, project_id, capsule_id, updated_by, updated_at, sequence,"
            " deleted) VALUES ($1, $2, $3, $4, $5, $6, 0)",
            (str(event.originator_id), event.project_id, event.capsule_id, actor_text(event.actor),
             micros(event.timestamp), notification_id),
        )

    @handles(Capsule.Recreated)
    def _recreated(self, event: Capsule.Recreated, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"UPDATE {self.capsules} SET updated_by = $1, updated_at = $2, sequence = $3, deleted = 0"
            " WHERE aggregate_id = $4",
            (actor_text(event.actor), micros(event.timestamp), notification_id, str(event.originator_id)),
        )

    @handles(Capsule.Deleted)
    def _deleted(self, event: Capsule.Deleted, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"UPDATE {self.capsules} SET deleted = 1 WHERE aggregate_id = $1", (str(event.originator_id),))


_COLUMNS = "capsule_id, updated_at, updated_by"


def _view(row: tuple[Any, ...]) -> CapsuleSummary:
    return CapsuleSummary(capsule_id=row[0], updated_at=from_micros(row[1]), updated_by=actor_of(row[2]))


class CapsuleQueries:
    read_models = ("capsules",)

    def __init__(self, database: ReadDatabase, model: CapsulesReadModel | None = None) -> None:
        self._database = database
        self._model = model or CapsulesReadModel()

    def get(self, project_id: str, capsule_id: str) -> CapsuleSummary:
        require(project_id, "project_id")
        require(capsule_id, "capsule_id")
        with self._database.snapshot() as cursor:
            capsules = self._model.live(cursor).capsules
            cursor.execute(f"SELECT {_COLUMNS} FROM {capsules} WHERE project_id = $1 AND capsule_id = $2"
                           " AND deleted = 0", (project_id, capsule_id))
            row = cursor.fetchone()
        if row is None:
            raise CapsuleNotFound(capsule_id)
        return _view(row)

    def list_page(self, project_id: str, page: Page) -> tuple[list[CapsuleSummary], int]:
        """One page of the project's capsules in the order they were created, and the total."""
        require(project_id, "project_id")
        with self._database.snapshot() as cursor:
            capsules = self._model.live(cursor).capsules
            rows, total = select_page(cursor, capsules, _COLUMNS, "project_id = $1 AND deleted = 0", (project_id,),
                                      page, "sequence")
        return [_view(row) for row in rows], total

    def capsule_ids(self, project_id: str, limit: int = 5) -> list[str]:
        """Some of the project's live capsules (for a refusal that names them)."""
        with self._database.snapshot() as cursor:
            capsules = self._model.live(cursor).capsules
            cursor.execute(f"SELECT capsule_id FROM {capsules} WHERE project_id = $1 AND deleted = 0"
                           " ORDER BY sequence LIMIT $2", (project_id, limit))
            return [row[0] for row in cursor.fetchall()]
