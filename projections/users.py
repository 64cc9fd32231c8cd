"""The users read model and its queries (group names come from the groups read model)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rigd.domain.groups import USER
from rigd.domain.users import User, UserNotFound, identifier, printable_name
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.groups import GroupQueries
from rigd.projections.pagination import Page, select_page
from rigd.projections.read_model import ReadModel, from_micros, handles, micros
from rigd.projections.search import contains


@dataclass(frozen=True)
class UserView:
    user_id: str
    email: str
    username: str
    phone_number: str
    first_name: str
    last_name: str
    register_method: str
    login_type: int
    creator_id: str
    is_email_verified: bool
    is_phone_verified: bool
    metadata: dict[str, bytes]
    new_sessions_since: datetime | None
    created_at: datetime
    updated_at: datetime
    group_ids: list[str]

    @property
    def printable_name(self) -> str:
        return printable_name(self.first_name, self.last_name, self.username, self.email, self.phone_number)

    @property
    def identifier(self) -> str:
        return identifier(self.username, self.email, self.phone_number)


_FIELDS = {
    User.EmailChanged: ("email = $1, is_email_verified = 0", lambda e: (e.email,)),
    User.UsernameChanged: ("username = $1", lambda e: (e.username,)),
    User.PhoneNumberChanged: ("phone_number = $1, is_phone_verified = 0", lambda e: (e.phone_number,)),
    User.ProfileUpdated: ("first_name = $1, last_name = $2", lambda e: (e.first_name, e.last_name)),
    User.EmailVerificationSet: ("is_email_verified = $1", lambda e: (int(e.verified),)),
    User.PhoneVerificationSet: ("is_phone_verified = $1", lambda e: (int(e.verified),)),
    User.SessionsReset: ("new_sessions_since = $1", lambda e: (micros(e.timestamp),)),
    User.Deleted: ("deleted = 1", lambda e: ()),
    User.PasswordSet: ("has_password = 1", lambda e: ()),
}


class UsersReadModel(ReadModel):
    name = "users"
    version = 1
    tables = ("rm_users",)

    @property
    def users(self) -> str:
        return self.table("rm_users")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {self.users} (user_id TEXT PRIMARY KEY, email TEXT NOT NULL, username TEXT NOT NULL,"
            " phone_number TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL,"
            " register_method TEXT NOT NULL, login_type INTEGER NOT NULL, creator_id TEXT NOT NULL,"
            " is_email_verified INTEGER NOT NULL, is_phone_verified INTEGER NOT NULL, has_password INTEGER NOT NULL,"
            " metadata TEXT NOT NULL, new_sessions_since BIGINT NOT NULL, created_at BIGINT NOT NULL,"
            " updated_at BIGINT NOT NULL, sequence BIGINT NOT NULL, deleted INTEGER NOT NULL)")
        cursor.execute(f"CREATE INDEX {self.users}_listing ON {self.users} (deleted, sequence)")

    @handles(User.Created)
    def _created(self, event: User.Created, notification_id: int, cursor: Cursor) -> None:
        at = micros(event.timestamp)
        cursor.execute(
            f"INSERT INTO {self.users} (user_id, email, username, phone_number, first_name, last_name,"
            " register_method, login_type, creator_id, is_email_verified, is_phone_verified, has_password, metadata,"
            " new_sessions_since, created_at, updated_at, sequence, deleted)"
            " VALUES ($1, $2, $3, $4, '', '', $5, $6, $7, 0, 0, 0, '{}', 0, $8, $8, $9, 0)",
            (str(event.originator_id), event.email, event.username, event.phone_number, event.register_method,
             event.login_type, event.creator_id, at, notification_id))

    @handles(*_FIELDS)
    def _changed(self, event: Any, notification_id: int, cursor: Cursor) -> None:
        declared = next(kind for kind in type(event).__mro__ if kind in _FIELDS)  # the library may subclass it
        assignments, values = _FIELDS[declared]
        params = values(event)
        cursor.execute(
            f"UPDATE {self.users} SET {assignments}, updated_at = ${len(params) + 1}"
            f" WHERE user_id = ${len(params) + 2}", (*params, micros(event.timestamp), str(event.originator_id)))

    @handles(User.MetadataSet, User.MetadataDeleted)
    def _metadata(self, event: Any, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"SELECT metadata FROM {self.users} WHERE user_id = $1", (str(event.originator_id),))
        row = cursor.fetchone()
        metadata = json.loads(row[0]) if row else {}
        if isinstance(event, User.MetadataSet):
            metadata[event.key] = event.value
        else:
            metadata.pop(event.key, None)
        cursor.execute(f"UPDATE {self.users} SET metadata = $1, updated_at = $2 WHERE user_id = $3",
                       (json.dumps(metadata), micros(event.timestamp), str(event.originator_id)))


_COLUMNS = ("user_id, email, username, phone_number, first_name, last_name, register_method, login_type, creator_id,"
            " is_email_verified, is_phone_verified, metadata, new_sessions_since, created_at, updated_at")


def _view(row: tuple[Any, ...], group_ids: list[str]) -> UserView:
    metadata = {key: base64.b64decode(value) for key, value in json.loads(row[11]).items()}
    return UserView(row[0], row[1], row[2], row[3], row[4], row[5], row[6], int(row[7]), row[8], bool(row[9]),
                    bool(row[10]), metadata, from_micros(row[12]) if row[12] else None, from_micros(row[13]),
                    from_micros(row[14]), group_ids)


class UserQueries:
    read_models = ("users", "groups")

    def __init__(self, database: ReadDatabase, groups: GroupQueries, model: UsersReadModel | None = None) -> None:
        self._database = database
        self._groups = groups
        self._model = model or UsersReadModel()

    def get(self, user_id: str) -> UserView:
        with self._database.snapshot() as cursor:
            users = self._model.live(cursor).users
            cursor.execute(f"SELECT {_COLUMNS} FROM {users} WHERE user_id = $1 AND deleted = 0", (user_id,))
            row = cursor.fetchone()
            if row is None:
                raise UserNotFound(user_id)
            return _view(row, self._groups.group_names_of(cursor, USER, [row[0]])[row[0]])

    def get_many(self, user_ids: list[str]) -> dict[str, UserView]:
        """The live users among `user_ids`, by id."""
        if not user_ids:
            return {}
        with self._database.snapshot() as cursor:
            users = self._model.live(cursor).users
            marks = ", ".join(f"${i + 1}" for i in range(len(user_ids)))
            cursor.execute(f"SELECT {_COLUMNS} FROM {users} WHERE deleted = 0 AND user_id IN ({marks})", user_ids)
            rows = cursor.fetchall()
            groups = self._groups.group_names_of(cursor, USER, [row[0] for row in rows])
        return {row[0]: _view(row, groups[row[0]]) for row in rows}

    def list_page(self, page: Page, search: str = "") -> tuple[list[UserView], int]:
        where, params = "deleted = 0", tuple[str, ...]()
        if search:
            where += (" AND (LOWER(email) LIKE $1 ESCAPE '!' OR LOWER(username) LIKE $1 ESCAPE '!'"
                      " OR LOWER(first_name || ' ' || last_name) LIKE $1 ESCAPE '!' OR phone_number LIKE $1 ESCAPE '!'"
                      " OR user_id = $2)")
            params = (contains(search), search)
        with self._database.snapshot() as cursor:
            users = self._model.live(cursor).users
            rows, total = select_page(cursor, users, _COLUMNS, where, params, page, "sequence")
            groups = self._groups.group_names_of(cursor, USER, [row[0] for row in rows])
        return [_view(row, groups[row[0]]) for row in rows], total

    def count(self) -> int:
        with self._database.snapshot() as cursor:
            users = self._model.live(cursor).users
            cursor.execute(f"SELECT COUNT(*) FROM {users} WHERE deleted = 0")
            row = cursor.fetchone()
        return int(row[0]) if row else 0
