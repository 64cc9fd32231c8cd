"""The sessions read model (user.Service/ListSessions): each user's logins, renewals and
invalidations. The hot path never reads it: access tokens are checked against the
in-memory session view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rigd.domain.sessions import Session
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.pagination import Page, select_page
from rigd.projections.read_model import ReadModel, from_micros, handles, micros


@dataclass(frozen=True)
class SessionView:
    session_id: str
    user_id: str
    auth_method: str
    is_invalidated: bool
    created_at: datetime
    expires_at: datetime
    invalidated_at: datetime | None
    renewed_at: datetime | None


class SessionsReadModel(ReadModel):
    name = "sessions"
    version = 1
    tables = ("rm_sessions",)

    @property
    def sessions(self) -> str:
        return self.table("rm_sessions")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {self.sessions} (session_id TEXT PRIMARY KEY, user_id TEXT NOT NULL,"
            " auth_method TEXT NOT NULL, invalidated INTEGER NOT NULL, created_at BIGINT NOT NULL,"
            " expires_at BIGINT NOT NULL, invalidated_at BIGINT, renewed_at BIGINT, sequence BIGINT NOT NULL)")
        cursor.execute(f"CREATE INDEX {self.sessions}_by_user ON {self.sessions} (user_id, sequence)")

    @handles(Session.Created)
    def _created(self, event: Session.Created, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(
            f"INSERT INTO {self.sessions} (session_id, user_id, auth_method, invalidated, created_at, expires_at,"
            " sequence) VALUES ($1, $2, $3, 0, $4, $5, $6)",
            (str(event.originator_id), event.user_id, event.auth_method, micros(event.timestamp),
             micros(event.expires_at), notification_id))

    @handles(Session.Renewed)
    def _renewed(self, event: Session.Renewed, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"UPDATE {self.sessions} SET expires_at = $1, renewed_at = $2 WHERE session_id = $3",
                       (micros(event.expires_at), micros(event.timestamp), str(event.originator_id)))

    @handles(Session.Invalidated)
    def _invalidated(self, event: Session.Invalidated, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"UPDATE {self.sessions} SET invalidated = 1, invalidated_at = $1 WHERE session_id = $2",
                       (micros(event.timestamp), str(event.originator_id)))


_COLUMNS = "session_id, user_id, auth_method, invalidated, created_at, expires_at, invalidated_at, renewed_at"


def _view(row: tuple[Any, ...]) -> SessionView:
    return SessionView(row[0], row[1], row[2], bool(row[3]), from_micros(row[4]), from_micros(row[5]),
                       from_micros(row[6]) if row[6] is not None else None,
                       from_micros(row[7]) if row[7] is not None else None)


class SessionQueries:
    read_models = ("sessions",)

    def __init__(self, database: ReadDatabase, model: SessionsReadModel | None = None) -> None:
        self._database = database
        self._model = model or SessionsReadModel()

    def list_page(self, user_id: str, page: Page) -> tuple[list[SessionView], int]:
        """One page of the user's sessions in the order they started, and how many there are."""
        with self._database.snapshot() as cursor:
            sessions = self._model.live(cursor).sessions
            rows, total = select_page(cursor, sessions, _COLUMNS, "user_id = $1", (user_id,), page, "sequence")
        return [_view(row) for row in rows], total
