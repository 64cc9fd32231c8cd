"""The roles read model (roles, their permissions and assignments) and its queries,
including the grants of a principal for the RBAC check."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rigd.domain.groups import SERVICE_ACCOUNT, USER, Group
from rigd.domain.permissions import Permission
from rigd.domain.roles import GROUP, Role, RoleNotFound, permission_of
from rigd.domain.service_accounts import ServiceAccount
from rigd.domain.users import User
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.groups import GroupQueries
from rigd.projections.pagination import Page, select_page
from rigd.projections.read_model import ReadModel, from_micros, handles, micros


@dataclass(frozen=True)
class RoleView:
    role_id: str
    permissions: list[Permission]
    metadata: dict[str, bytes]
    created_at: datetime
    updated_at: datetime
    assignments: list[tuple[str, str]]  # (kind, id): a group's aggregate id for groups


class RolesReadModel(ReadModel):
    name = "roles"
    version = 1
    tables = ("rm_roles", "rm_role_assignments")

    @property
    def roles(self) -> str:
        return self.table("rm_roles")

    @property
    def assignments(self) -> str:
        return self.table("rm_role_assignments")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {self.roles} (aggregate_id TEXT PRIMARY KEY, role_id TEXT NOT NULL UNIQUE,"
            " permissions TEXT NOT NULL, metadata TEXT NOT NULL, created_at BIGINT NOT NULL,"
            " updated_at BIGINT NOT NULL, sequence BIGINT NOT NULL, deleted INTEGER NOT NULL)")
        cursor.execute(f"CREATE INDEX {self.roles}_listing ON {self.roles} (deleted, sequence)")
        cursor.execute(
            f"CREATE TABLE {self.assignments} (role_aggregate_id TEXT NOT NULL, entity_kind TEXT NOT NULL,"
            " entity_id TEXT NOT NULL, PRIMARY KEY (role_aggregate_id, entity_kind, entity_id))")
        cursor.execute(f"CREATE INDEX {self.assignments}_entity ON {self.assignments} (entity_id, entity_kind)")

    @handles(Role.Created)
    def _created(self, event: Role.Created, notification_id: int, cursor: Cursor) -> None:
        at = micros(event.timestamp)
        cursor.execute(
            f"INSERT INTO {self.roles} (aggregate_id, role_id, permissions, metadata, created_at, updated_at,"
            " sequence, deleted) VALUES ($1, $2, $3, '{}', $4, $4, $5, 0)",
            (str(event.originator_id), event.role_id, json.dumps(event.permissions), at, notification_id))

    @handles(Role.Recreated)
    def _recreated(self, event: Role.Recreated, notification_id: int, cursor: Cursor) -> None:
        at = micros(event.timestamp)
        cursor.execute(
            f"UPDATE {self.roles} SET permissions = $1, metadata = '{{}}', created_at = $2, updated_at = $2,"
            " sequence = $3, deleted = 0 WHERE aggregate_id = $4",
            (json.dumps(event.permissions), at, notification_id, str(event.originator_id)))

    @handles(Role.PermissionAdded, Role.PermissionRemoved, Role.MetadataSet, Role.MetadataDeleted)
    def _changed(self, event: Any, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"SELECT permissions, metadata FROM {self.roles} WHERE aggregate_id = $1",
                       (str(event.originator_id),))
        row = cursor.fetchone()
        permissions, metadata = (json.loads(row[0]), json.loads(row[1])) if row else ([], {})
        if isinstance(event, Role.PermissionAdded):
            permissions.append(event.permission)
        elif isinstance(event, Role.PermissionRemoved):
            permissions = [p for p in permissions if p != event.permission]
        elif isinstance(event, Role.MetadataSet):
            metadata[event.key] = event.value
        else:
            metadata.pop(event.key, None)
        cursor.execute(
            f"UPDATE {self.roles} SET permissions = $1, metadata = $2, updated_at = $3 WHERE aggregate_id = $4",
            (json.dumps(permissions), json.dumps(metadata), micros(event.timestamp), str(event.originator_id)))

    @handles(Role.Assigned)
    def _assigned(self, event: Role.Assigned, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"INSERT INTO {self.assignments} (role_aggregate_id, entity_kind, entity_id) VALUES ($1, $2, $3)",
            (str(event.originator_id), event.entity_kind, event.entity_id))

    @handles(Role.Revoked)
    def _revoked(self, event: Role.Revoked, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"DELETE FROM {self.assignments} WHERE role_aggregate_id = $1 AND entity_kind = $2 AND entity_id = $3",
            (str(event.originator_id), event.entity_kind, event.entity_id))

    @handles(Role.Deleted)
    def _deleted(self, event: Role.Deleted, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"UPDATE {self.roles} SET deleted = 1 WHERE aggregate_id = $1", (str(event.originator_id),))
        cursor.execute(f"DELETE FROM {self.assignments} WHERE role_aggregate_id = $1", (str(event.originator_id),))

    @handles(User.Deleted, ServiceAccount.Deleted, Group.Deleted)
    def _entity_deleted(self, event: Any, notification_id: int, cursor: Cursor) -> None:
        """A deleted principal or group holds no role (the roles' histories keep the assignment)."""
        kind = USER if isinstance(event, User.Deleted) else SERVICE_ACCOUNT \
            if isinstance(event, ServiceAccount.Deleted) else GROUP
        cursor.execute(f"DELETE FROM {self.assignments} WHERE entity_kind = $1 AND entity_id = $2",
                       (kind, str(event.originator_id)))


_COLUMNS = "aggregate_id, role_id, permissions, metadata, created_at, updated_at"


class RoleQueries:
    read_models = ("roles",)

    def __init__(self, database: ReadDatabase, groups: GroupQueries, model: RolesReadModel | None = None) -> None:
        self._database = database
        self._groups = groups
        self._model = model or RolesReadModel()

    def get(self, role_id: str) -> RoleView:
        with self._database.snapshot() as cursor:
            model = self._model.live(cursor)
            cursor.execute(f"SELECT {_COLUMNS} FROM {model.roles} WHERE role_id = $1 AND deleted = 0", (role_id,))
            row = cursor.fetchone()
            if row is None:
                raise RoleNotFound(role_id)
            return self._view(cursor, model, row)

    def list_page(self, page: Page) -> tuple[list[RoleView], int]:
        with self._database.snapshot() as cursor:
            model = self._model.live(cursor)
            rows, total = select_page(cursor, model.roles, _COLUMNS, "deleted = 0", (), page, "sequence")
            return [self._view(cursor, model, row) for row in rows], total

    def grants_of(self, principal_kind: str, principal_id: str) -> list[Permission]:
        """The permissions of the roles assigned to the principal ("user" or
        "service_account", by id) and to each of its groups; each permission once."""
        with self._database.snapshot() as cursor:
            model = self._model.live(cursor)
            entities = [(principal_kind, principal_id)]
            entities += [(GROUP, group) for group in self._groups.group_ids_of(cursor, principal_kind, principal_id)]
            clauses = " OR ".join(f"(a.entity_kind = ${2 * i + 1} AND a.entity_id = ${2 * i + 2})"
                                  for i in range(len(entities)))
            cursor.execute(
                f"SELECT r.permissions FROM {model.roles} r JOIN {model.assignments} a"
                f" ON a.role_aggregate_id = r.aggregate_id WHERE r.deleted = 0 AND ({clauses}) ORDER BY r.sequence",
                [value for entity in entities for value in entity])
            rows = cursor.fetchall()
        grants: dict[Permission, None] = {}
        for row in rows:
            grants.update(dict.fromkeys(permission_of(p) for p in json.loads(row[0])))
        return list(grants)

    def _view(self, cursor: Cursor, model: RolesReadModel, row: tuple[Any, ...]) -> RoleView:
        cursor.execute(f"SELECT entity_kind, entity_id FROM {model.assignments} WHERE role_aggregate_id = $1"
                       " ORDER BY entity_kind, entity_id", (row[0],))
        assignments = [(kind, entity_id) for kind, entity_id in cursor.fetchall()]
        metadata = {key: base64.b64decode(value) for key, value in json.loads(row[3]).items()}
        permissions = [permission_of(p) for p in json.loads(row[2])]
        return RoleView(row[1], permissions, metadata, from_micros(row[4]), from_micros(row[5]), assignments)

