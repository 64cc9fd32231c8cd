"""Login sessions: what a user's pair of tokens belongs to.

A session starts at a user's login; its id is the `jti` of every token minted for it.
Each refresh returns a new pair and moves the session to the next *refresh generation*;
a refresh token of an older generation presented again (a replay of a rotated token:
someone else holds a copy) ends the session. A session is dead once invalidated (logout,
reuse, the user deleted), past its expiry, or started before its user's
`new_sessions_since` (`reset_sessions`). Service accounts log in without a session."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.errors import PermissionDenied
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent


class SubjectType(StrEnum):
    """Who a token speaks for (the `sty` claim)."""

    USER = "user"
    SERVICE_ACCOUNT = "service_account"


class InvalidationReason(StrEnum):
    LOGOUT = "logout"
    REFRESH_TOKEN_REUSED = "refresh_token_reused"
    USER_DELETED = "user_deleted"


class SessionInvalidated(PermissionDenied):
    def __init__(self) -> None:
        super().__init__("session invalidated")


class SessionExpired(PermissionDenied):
    def __init__(self) -> None:
        super().__init__("session expired")


class RefreshTokenReused(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(
            "session invalidated: this refresh token was already used once, so it may have been copied; log in again")


class Session(AuditedAggregate):
    """One login of one user. Its id is chosen at login (a random UUID) and is the tokens' `jti`."""

    TOPIC = "session"
    # a session refreshed hourly for months has thousands of events: see EventStore snapshots
    snapshot_interval: ClassVar[int] = 50

    class Created(AuditedCreated):
        """The session started: a login."""

        TOPIC = "session.Created"
        user_id: str
        auth_method: str
        expires_at: datetime

    class Renewed(AuditedEvent):
        TOPIC = "session.Renewed"
        generation: int
        expires_at: datetime

    class Invalidated(AuditedEvent):
        """Carries the user and the expiry, so a view of dead sessions needs no other event."""

        TOPIC = "session.Invalidated"
        user_id: str
        reason: str
        expires_at: datetime

    @event(Created)
    def __init__(self, user_id: str, auth_method: str, expires_at: datetime) -> None:
        self.user_id = user_id
        self.auth_method = auth_method
        self.expires_at = expires_at
        self.generation = 0  # the refresh generation of the pair minted last
        self.invalidated = False
        self.invalidated_at: datetime | None = None
        self.renewed_at: datetime | None = None

    @classmethod
    def start(cls, session_id: UUID, user_id: str, auth_method: str, expires_at: datetime) -> Session:
        """A new session; its first pair of tokens is of generation 0."""
        return cls._create(cls.Created, id=session_id, user_id=user_id, auth_method=auth_method,
                           expires_at=expires_at)

    @property
    def started_at(self) -> datetime:
        return self.created_on

    def refusal(self, now: datetime, new_sessions_since: datetime | None = None) -> PermissionDenied | None:
        """Why the session can no longer be used, or None while it lives."""
        if self.invalidated:
            return SessionInvalidated()
        if now >= self.expires_at or (new_sessions_since is not None and self.started_at < new_sessions_since):
            return SessionExpired()
        return None

    def renew(self, generation: int, expires_at: datetime, now: datetime,
              new_sessions_since: datetime | None = None) -> PermissionDenied | None:
        """Rotates to the next generation for a refresh token of `generation`.

        Returns None when renewed (`self.generation` is the new pair's), else the refusal to
        raise. A replayed older generation invalidates the session: its pending event must be
        saved before the refusal is raised, so the application saves in either case."""
        refused = self.refusal(now, new_sessions_since)
        if refused is not None:
            return refused
        if generation != self.generation:
            self._invalidated(self.user_id, InvalidationReason.REFRESH_TOKEN_REUSED, self.expires_at)
            return RefreshTokenReused()
        self._renewed(self.generation + 1, expires_at)
        return None

    def invalidate(self, reason: InvalidationReason) -> None:
        """Ends the session; a no-op (no event) when it already ended that way or another."""
        if not self.invalidated:
            self._invalidated(self.user_id, reason, self.expires_at)

    @event(Renewed)
    def _renewed(self, generation: int, expires_at: datetime, timestamp: datetime | None = None) -> None:
        self.generation = generation
        self.expires_at = expires_at
        self.renewed_at = timestamp

    @event(Invalidated)
    def _invalidated(self, user_id: str, reason: str, expires_at: datetime,
                     timestamp: datetime | None = None) -> None:
        self.invalidated = True
        self.invalidated_at = timestamp
