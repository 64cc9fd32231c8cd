"""The groups read model (groups and their memberships, both directions) and its queries."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rigd.domain.groups import SERVICE_ACCOUNT, USER, Group, GroupNotFound
from rigd.domain.service_accounts import ServiceAccount
from rigd.domain.users import User
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.pagination import Page, select_page
from rigd.projections.read_model import ReadModel, from_micros, handles, micros
from rigd.projections.search import contains


@dataclass(frozen=True)
class GroupView:
    group_id: str  # the name
    aggregate_id: str
    num_members: int
    metadata: dict[str, bytes]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class MembershipView:
    member_kind: str  # "user" or "service_account"
    member_id: str
    joined_at: datetime


class GroupsReadModel(ReadModel):
    name = "groups"
    version = 1
    tables = ("rm_groups", "rm_memberships")

    @property
    def groups(self) -> str:
        return self.table("rm_groups")

    @property
    def memberships(self) -> str:
        return self.table("rm_memberships")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {self.groups} (aggregate_id TEXT PRIMARY KEY, name TEXT NOT NULL, metadata TEXT NOT NULL,"
            " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, sequence BIGINT NOT NULL,"
            " deleted INTEGER NOT NULL)")
        cursor.execute(f"CREATE INDEX {self.groups}_listing ON {self.groups} (deleted, sequence)")
        cursor.execute(f"CREATE INDEX {self.groups}_name ON {self.groups} (name)")
        cursor.execute(
            f"CREATE TABLE {self.memberships} (group_id TEXT NOT NULL, member_kind TEXT NOT NULL,"
            " member_id TEXT NOT NULL, joined_at BIGINT NOT NULL, sequence BIGINT NOT NULL,"
            " PRIMARY KEY (group_id, member_kind, member_id))")
        cursor.execute(f"CREATE INDEX {self.memberships}_member ON {self.memberships} (member_id, member_kind)")

    @handles(Group.Created)
    def _created(self, event: Group.Created, notification_id: int, cursor: Cursor) -> None:
        at = micros(event.timestamp)
        cursor.execute(
            f"INSERT INTO {self.groups} (aggregate_id, name, metadata, created_at, updated_at, sequence, deleted)"
            " VALUES ($1, $2, '{}', $3, $3, $4, 0)", (str(event.originator_id), event.name, at, notification_id))

    @handles(Group.Renamed)
    def _renamed(self, event: Group.Renamed, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"UPDATE {self.groups} SET name = $1, updated_at = $2 WHERE aggregate_id = $3",
                       (event.name, micros(event.timestamp), str(event.originator_id)))

    @handles(Group.MetadataSet, Group.MetadataDeleted)
    def _metadata(self, event: Any, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"SELECT metadata FROM {self.groups} WHERE aggregate_id = $1", (str(event.originator_id),))
        row = cursor.fetchone()
        metadata = json.loads(row[0]) if row else {}
        if isinstance(event, Group.MetadataSet):
            metadata[event.key] = event.value
        else:
            metadata.pop(event.key, None)
        cursor.execute(f"UPDATE {self.groups} SET metadata = $1, updated_at = $2 WHERE aggregate_id = $3",
                       (json.dumps(metadata), micros(event.timestamp), str(event.originator_id)))

    @handles(Group.MemberAdded)
    def _member_added(self, event: Group.MemberAdded, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"INSERT INTO {self.memberships} (group_id, member_kind, member_id, joined_at, sequence)"
            " VALUES ($1, $2, $3, $4, $5)",
            (str(event.originator_id), event.member_kind, event.member_id, micros(event.timestamp), notification_id))

    @handles(Group.MemberRemoved)
    def _member_removed(self, event: Group.MemberRemoved, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"DELETE FROM {self.memberships} WHERE group_id = $1 AND member_kind = $2 AND member_id = $3",
            (str(event.originator_id), event.member_kind, event.member_id))

    @handles(Group.Deleted)
    def _deleted(self, event: Group.Deleted, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"UPDATE {self.groups} SET deleted = 1 WHERE aggregate_id = $1", (str(event.originator_id),))
        cursor.execute(f"DELETE FROM {self.memberships} WHERE group_id = $1", (str(event.originator_id),))

    @handles(User.Deleted)
    def _user_deleted(self, event: User.Deleted, notification_id: int, cursor: Cursor) -> None:
        """A deleted user is in no group any more (its groups' histories keep the membership)."""
        cursor.execute(f"DELETE FROM {self.memberships} WHERE member_kind = $1 AND member_id = $2",
                       (USER, str(event.originator_id)))

    @handles(ServiceAccount.Deleted)
    def _service_account_deleted(self, event: ServiceAccount.Deleted, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"DELETE FROM {self.memberships} WHERE member_kind = $1 AND member_id = $2",
                       (SERVICE_ACCOUNT, str(event.originator_id)))


def _columns(groups: str, memberships: str) -> str:
    return (f"name, aggregate_id, (SELECT COUNT(*) FROM {memberships} m WHERE m.group_id = {groups}.aggregate_id),"
            " metadata, created_at, updated_at")


def _view(row: tuple[Any, ...]) -> GroupView:
    metadata = {key: base64.b64decode(value) for key, value in json.loads(row[3]).items()}
    return GroupView(row[0], row[1], int(row[2]), metadata, from_micros(row[4]), from_micros(row[5]))


class GroupQueries:
    read_models = ("groups",)

    def __init__(self, database: ReadDatabase, model: GroupsReadModel | None = None) -> None:
        self._database = database
        self._model = model or GroupsReadModel()

    def get(self, group_id: str) -> GroupView:
        with self._database.snapshot() as cursor:
            model = self._model.live(cursor)
            cursor.execute(f"SELECT {_columns(model.groups, model.memberships)} FROM {model.groups}"
                           " WHERE name = $1 AND deleted = 0", (group_id,))
            row = cursor.fetchone()
        if row is None:
            raise GroupNotFound(group_id)
        return _view(row)

    def list_page(self, page: Page, search: str = "") -> tuple[list[GroupView], int]:
        where, params = ("deleted = 0", ()) if not search else ("deleted = 0 AND LOWER(name) LIKE $1 ESCAPE '!'",
                                                                (contains(search),))
        with self._database.snapshot() as cursor:
            model = self._model.live(cursor)
            rows, total = select_page(cursor, model.groups, _columns(model.groups, model.memberships), where,
                                      params, page, "sequence")
        return [_view(row) for row in rows], total

    def members_page(self, group_id: str, page: Page) -> tuple[list[MembershipView], int]:
        group = self.get(group_id)
        with self._database.snapshot() as cursor:
            model = self._model.live(cursor)
            rows, total = select_page(cursor, model.memberships, "member_kind, member_id, joined_at",
                                      "group_id = $1", (group.aggregate_id,), page, "sequence")
        return [MembershipView(row[0], row[1], from_micros(row[2])) for row in rows], total

    def groups_of_page(self, member_kind: str, member_id: str, page: Page) -> tuple[list[GroupView], int]:
        with self._database.snapshot() as cursor:
            model = self._model.live(cursor)
            where = (f"deleted = 0 AND aggregate_id IN (SELECT group_id FROM {model.memberships}"
                     " WHERE member_kind = $1 AND member_id = $2)")
            rows, total = select_page(cursor, model.groups, _columns(model.groups, model.memberships), where,
                                      (member_kind, member_id), page, "sequence")
        return [_view(row) for row in rows], total

    def group_names_of(self, cursor: Cursor, member_kind: str, member_ids: list[str]) -> dict[str, list[str]]:
        """The names of the groups of each member, in `cursor`'s snapshot (for other queries)."""
        found: dict[str, list[str]] = {member_id: [] for member_id in member_ids}
        if not member_ids:
            return found
        model = self._model.live(cursor)
        marks = ", ".join(f"${i + 2}" for i in range(len(member_ids)))
        cursor.execute(
            f"SELECT m.member_id, g.name FROM {model.memberships} m"
            f" JOIN {model.groups} g ON g.aggregate_id = m.group_id"
            f" WHERE m.member_kind = $1 AND m.member_id IN ({marks}) ORDER BY g.sequence", (member_kind, *member_ids))
        for member_id, name in cursor.fetchall():
            found[member_id].append(name)
        return found

    def group_ids_of(self, cursor: Cursor, member_kind: str, member_id: str) -> list[str]:
        """The aggregate ids of the member's groups, in `cursor`'s snapshot."""
        model = self._model.live(cursor)
        cursor.execute(f"SELECT group_id FROM {model.memberships} WHERE member_kind = $1 AND member_id = $2",
                       (member_kind, member_id))
        return [row[0] for row in cursor.fetchall()]
