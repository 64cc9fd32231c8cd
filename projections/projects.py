"""The projects read model and its queries."""

from __future__ import annotations

from typing import Any

from rigd.domain.naming import require
from rigd.domain.projects import Project, ProjectNotFound, ProjectSummary
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.pagination import Page, select_page
from rigd.projections.read_model import ReadModel, from_micros, handles, micros


class ProjectsReadModel(ReadModel):
    """One row per project id ever created; deleted ones are kept (hidden) so that a
    revived project finds its row again."""

    name = "projects"
    version = 1
    tables = ("rm_projects",)

    @property
    def projects(self) -> str:
        return self.table("rm_projects")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {self.projects} ("
            " aggregate_id TEXT PRIMARY KEY,"
            " project_id TEXT NOT NULL UNIQUE,"
            " name TEXT NOT NULL,"
            " installation_id TEXT NOT NULL,"
            " public_key TEXT NOT NULL,"
            " created_at BIGINT NOT NULL,"
            " updated_at BIGINT NOT NULL,"
            " sequence BIGINT NOT NULL,"
            " deleted INTEGER NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {self.projects}_listing ON {self.projects} (deleted, sequence)")

    @handles(Project.Created)
    def _created(self, event: Project.Created, notification_id: int, cursor: Cursor) -> None:
        at = micros(event.timestamp)
        cursor.execute(
            f"INSERT INTO {self.projects} (aggregate_id, project_id, name, installation_id, public_key,"
            " created_at, updated_at, sequence, deleted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)",
            (str(event.originator_id), event.project_id, event.name, event.installation_id,
             event.public_key, at, at, notification_id),
        )

    @handles(Project.Recreated)
    def _recreated(self, event: Project.Recreated, notification_id: int, cursor: Cursor) -> None:
        at = micros(event.timestamp)
        cursor.execute(
            f"UPDATE {self.projects} SET name = $1, public_key = $2, created_at = $3, updated_at = $4, sequence = $5,"
            " deleted = 0 WHERE aggregate_id = $6",
            (event.name, event.public_key, at, at, notification_id, str(event.originator_id)),
        )

    @handles(Project.Renamed)
    def _renamed(self, event: Project.Renamed, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"UPDATE {self.projects} SET name = $1, updated_at = $2 WHERE aggregate_id = $3",
            (event.name, micros(event.timestamp), str(event.originator_id)),
        )

    @handles(Project.Deleted)
    def _deleted(self, event: Project.Deleted, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"UPDATE {self.projects} SET deleted = 1, updated_at = $1 WHERE aggregate_id = $2",
            (micros(event.timestamp), str(event.originator_id)),
        )


_COLUMNS = "project_id, name, installation_id, created_at, updated_at"


def _view(row: tuple[Any, ...]) -> ProjectSummary:
    return ProjectSummary(row[0], row[1], row[2], from_micros(row[3]), from_micros(row[4]))


class ProjectQueries:
    """Each query reads the live generation's table, resolved in the snapshot it reads in."""

    read_models = ("projects",)

    def __init__(self, database: ReadDatabase, model: ProjectsReadModel | None = None) -> None:
        self._database = database
        self._model = model or ProjectsReadModel()

    def get(self, project_id: str) -> ProjectSummary:
        require(project_id, "project_id")
        with self._database.snapshot() as cursor:
            projects = self._model.live(cursor).projects
            cursor.execute(f"SELECT {_COLUMNS} FROM {projects} WHERE project_id = $1 AND deleted = 0", (project_id,))
            row = cursor.fetchone()
        if row is None:
            raise ProjectNotFound(project_id)
        return _view(row)

    def public_key(self, project_id: str) -> str:
        require(project_id, "project_id")
        with self._database.snapshot() as cursor:
            projects = self._model.live(cursor).projects
            cursor.execute(f"SELECT public_key FROM {projects} WHERE project_id = $1 AND deleted = 0", (project_id,))
            row = cursor.fetchone()
        if row is None:
            raise ProjectNotFound(project_id)
        return str(row[0])

    def list_page(self, page: Page) -> tuple[list[ProjectSummary], int]:
        """One page in creation order, and the total count ignoring pagination."""
        with self._database.snapshot() as cursor:
            projects = self._model.live(cursor).projects
            rows, total = select_page(cursor, projects, _COLUMNS, "deleted = 0", (), page, "sequence")
        return [_view(row) for row in rows], total

    def count(self) -> int:
        """The number of live projects, counted by the database."""
        with self._database.snapshot() as cursor:
            projects = self._model.live(cursor).projects
            cursor.execute(f"SELECT COUNT(*) FROM {projects} WHERE deleted = 0")
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def longest_id(self) -> str:
        """The longest id of a live project ("" when there is none)."""
        with self._database.snapshot() as cursor:
            projects = self._model.live(cursor).projects
            cursor.execute(
                f"SELECT project_id FROM {projects} WHERE deleted = 0 ORDER BY LENGTH(project_id) DESC LIMIT 1")
            row = cursor.fetchone()
        return str(row[0]) if row else ""

    def ids(self) -> list[str]:
        with self._database.snapshot() as cursor:
            projects = self._model.live(cursor).projects
            cursor.execute(f"SELECT project_id FROM {projects} WHERE deleted = 0 ORDER BY sequence")
            return [row[0] for row in cursor.fetchall()]
