"""The environments read model and its queries (including rendered namespaces)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rigd.domain.environments import DefaultEnvironment, Environment, EnvironmentNotFound
from rigd.domain.errors import InvalidArgument, ResourceExhausted
from rigd.domain.namespaces import InvalidNamespace, InvalidNamespaceTemplate, NamespaceTemplate
from rigd.domain.naming import quoted, require
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.pagination import Page, select_page
from rigd.projections.projects import ProjectQueries
from rigd.projections.read_model import ReadModel, handles

log = logging.getLogger(__name__)

# GetNamespaces with no pairs answers every (project, environment) pair up to this many;
# past it the caller names the pairs it wants (project_envs, itself limited to as many).
MAX_NAMESPACE_PAIRS = 1000


@dataclass(frozen=True)
class EnvironmentView:
    environment_id: str
    cluster_id: str
    namespace_template: str
    default: bool


@dataclass(frozen=True)
class NamespaceView:
    project_id: str
    environment_id: str
    namespace: str


class EnvironmentsReadModel(ReadModel):
    name = "environments"
    version = 1
    tables = ("rm_environments",)

    @property
    def environments(self) -> str:
        return self.table("rm_environments")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {self.environments} ("
            " aggregate_id TEXT PRIMARY KEY,"
            " environment_id TEXT NOT NULL UNIQUE,"
            " cluster_id TEXT NOT NULL,"
            " namespace_template TEXT NOT NULL,"
            " is_default INTEGER NOT NULL,"
            " sequence BIGINT NOT NULL,"
            " deleted INTEGER NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {self.environments}_listing ON {self.environments} (deleted, sequence)")

    @handles(Environment.Created)
    def _created(self, event: Environment.Created, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"INSERT INTO {self.environments} (aggregate_id, environment_id, cluster_id, namespace_template,"
            " is_default, sequence, deleted) VALUES ($1, $2, $3, $4, 0, $5, 0)",
            (str(event.originator_id), event.environment_id, event.cluster_id, event.namespace_template,
             notification_id),
        )

    @handles(Environment.Recreated)
    def _recreated(self, event: Environment.Recreated, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"UPDATE {self.environments} SET cluster_id = $1, namespace_template = $2, is_default = 0, sequence = $3,"
            " deleted = 0 WHERE aggregate_id = $4",
            (event.cluster_id, event.namespace_template, notification_id, str(event.originator_id)),
        )

    @handles(Environment.Deleted)
    def _deleted(self, event: Environment.Deleted, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"UPDATE {self.environments} SET deleted = 1, is_default = 0 WHERE aggregate_id = $1",
            (str(event.originator_id),),
        )

    @handles(DefaultEnvironment.Chosen)
    def _default_chosen(self, event: DefaultEnvironment.Chosen, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"UPDATE {self.environments} SET is_default = CASE WHEN environment_id = $1 THEN 1 ELSE 0 END"
            " WHERE is_default = 1 OR environment_id = $1",  # not every row: a replay of many choices stays linear
            (event.environment_id,),
        )

    @handles(DefaultEnvironment.Cleared)
    def _default_cleared(self, event: DefaultEnvironment.Cleared, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"UPDATE {self.environments} SET is_default = 0 WHERE environment_id = $1", (event.environment_id,)
        )


_COLUMNS = "environment_id, cluster_id, namespace_template, is_default"


def _view(row: tuple[Any, ...]) -> EnvironmentView:
    return EnvironmentView(row[0], row[1], row[2], bool(row[3]))


class EnvironmentQueries:
    read_models = ("environments",)

    def __init__(
        self, database: ReadDatabase, projects: ProjectQueries, model: EnvironmentsReadModel | None = None
    ) -> None:
        self._database = database
        self._projects = projects
        self._model = model or EnvironmentsReadModel()
        self._reported: set[tuple[str, str]] = set()  # unrenderable pairs already logged

    def get(self, environment_id: str) -> EnvironmentView:
        require(environment_id, "environment_id")
        with self._database.snapshot() as cursor:
            environments = self._model.live(cursor).environments
            cursor.execute(
                f"SELECT {_COLUMNS} FROM {environments} WHERE environment_id = $1 AND deleted = 0", (environment_id,)
            )
            row = cursor.fetchone()
        if row is None:
            raise EnvironmentNotFound(environment_id)
        return _view(row)

    def list_page(self, page: Page) -> tuple[list[EnvironmentView], int]:
        with self._database.snapshot() as cursor:
            environments = self._model.live(cursor).environments
            rows, total = select_page(cursor, environments, _COLUMNS, "deleted = 0", (), page, "sequence")
        return [_view(row) for row in rows], total

    def all(self) -> list[EnvironmentView]:
        with self._database.snapshot() as cursor:
            environments = self._model.live(cursor).environments
            cursor.execute(f"SELECT {_COLUMNS} FROM {environments} WHERE deleted = 0 ORDER BY sequence")
            return [_view(row) for row in cursor.fetchall()]

    def longest_project_id(self) -> str:
        return self._projects.longest_id()

    def environment_templates(self) -> list[tuple[str, str]]:
        return [(e.environment_id, e.namespace_template) for e in self.all()]

    def namespaces(self, pairs: Sequence[tuple[str, str]]) -> list[NamespaceView]:
        """The namespace of each (project, environment) pair; no pairs means every pair,
        refused (before any is rendered) when there are more than MAX_NAMESPACE_PAIRS."""
        if not pairs:
            return self._every_namespace()
        if any(not project_id or not environment_id for project_id, environment_id in pairs):
            raise InvalidArgument("every project_envs entry needs both project_id and environment_id")
        for project_id in dict.fromkeys(p for p, _ in pairs):  # each id looked up once, in order
            self._projects.get(project_id)
        environments = {e: self.get(e) for e in dict.fromkeys(e for _, e in pairs)}
        return [_namespace(project_id, environments[environment_id]) for project_id, environment_id in pairs]

    def _every_namespace(self) -> list[NamespaceView]:
        """Every pair's namespace. A pair that cannot render (history recorded before the
        namespace rules) is left out and logged, so one bad pair never fails every caller."""
        environments = self.all()
        pairs = self._projects.count() * len(environments)
        if pairs > MAX_NAMESPACE_PAIRS:
            raise ResourceExhausted(
                f"there are {pairs} project and environment pairs, more than the {MAX_NAMESPACE_PAIRS} "
                "GetNamespaces answers at once; name the pairs you need in project_envs"
            )
        result, skipped = [], {}
        for project_id in self._projects.ids():
            for environment in environments:
                try:
                    result.append(_namespace(project_id, environment))
                except InvalidArgument as error:
                    skipped[(project_id, environment.environment_id)] = error.message
        self._report(skipped)
        return result

    def _report(self, skipped: dict[tuple[str, str], str]) -> None:
        """Logs pairs left out, each once per process (not on every call)."""
        new = [pair for pair in skipped if pair not in self._reported]
        if not new:
            return
        if len(self._reported) > 10 * MAX_NAMESPACE_PAIRS:
            self._reported.clear()
        self._reported.update(new)
        log.warning("GetNamespaces leaves out %d pairs that render no valid namespace, e.g.: %s",
                    len(new), skipped[new[0]])


def _namespace(project_id: str, environment: EnvironmentView) -> NamespaceView:
    try:
        template = NamespaceTemplate.parse(environment.namespace_template)
    except InvalidNamespaceTemplate as error:  # recorded before the template rules were checked
        raise InvalidNamespace(
            f"project {quoted(project_id)} has no namespace in environment {quoted(environment.environment_id)}: "
            f"{error.message}") from None
    namespace = template.render(project_id, environment.environment_id)
    return NamespaceView(project_id, environment.environment_id, namespace)
