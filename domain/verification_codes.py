"""Verification and password-reset codes: 6 digits mailed to a user, typed back once.

One outstanding code per (user, purpose), in an aggregate with a deterministic id. The
code is sealed before it enters an event (bound to its aggregate and field), so a re-send
while it is still valid mails the same code again, and the store never holds it in clear.
A code lives `verification_code_ttl` (10 minutes by default) and takes at most
`MAX_ATTEMPTS` wrong guesses; the right one uses it up."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar, Protocol
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.errors import InvalidArgument
from rigd.domain.event_store import EventStore
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent
from rigd.domain.identity import stable_id

CODE_DIGITS = 6
MAX_ATTEMPTS = 5
DEFAULT_TTL = timedelta(minutes=10)
_SEALED_FIELD = "code"


class CodePurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"


class Sealer(Protocol):
    """Seals a secret bound to one field of one aggregate (adapters.secrets.Keyring is one)."""

    def seal(self, plaintext: bytes, aggregate_id: UUID, field: str) -> str: ...

    def open(self, sealed: str, aggregate_id: UUID, field: str) -> bytes: ...


class InvalidCode(InvalidArgument):
    def __init__(self) -> None:
        super().__init__("invalid verification code")


class ExpiredCode(InvalidArgument):
    def __init__(self) -> None:
        super().__init__("verification code expired")


class ExhaustedCode(InvalidArgument):
    # starts like the wrong-code message: clients that string-match it still see a wrong code
    def __init__(self) -> None:
        super().__init__(f"invalid verification code: {MAX_ATTEMPTS} wrong attempts used it up; request a new code")


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


class VerificationCode(AuditedAggregate):
    """The code of one purpose for one user: issued, guessed wrong, used."""

    TOPIC = "verification-code"
    snapshot_interval: ClassVar[int] = 50  # one per user and purpose, reissued for years

    class Created(AuditedCreated):
        TOPIC = "verification-code.Created"
        user_id: str
        purpose: str

    class Issued(AuditedEvent):
        TOPIC = "verification-code.Issued"
        sealed_code: str
        expires_at: datetime

    class Failed(AuditedEvent):
        TOPIC = "verification-code.Failed"

    class Used(AuditedEvent):
        TOPIC = "verification-code.Used"

    @staticmethod
    def create_id(user_id: str, purpose: str, **_: Any) -> UUID:
        return stable_id("verification-code", f"{purpose}/{user_id}")

    @event(Created)
    def __init__(self, user_id: str, purpose: str) -> None:
        self.user_id = user_id
        self.purpose = purpose
        self.sealed_code = ""  # empty: no outstanding code
        self.expires_at: datetime | None = None
        self.attempts = 0

    def issue(self, now: datetime, ttl: timedelta, sealer: Sealer, code: str | None = None) -> str:
        """The code to mail: the outstanding one while it is still usable, else a new one
        (recorded sealed). `code` chooses the new code (tests); by default it is random."""
        if self._usable(now):
            return sealer.open(self.sealed_code, self.id, _SEALED_FIELD).decode()
        fresh = code if code is not None else new_code()
        self._issued(sealer.seal(fresh.encode(), self.id, _SEALED_FIELD), now + ttl)
        return fresh

    def check(self, code: str, now: datetime, sealer: Sealer) -> InvalidArgument | None:
        """Uses the code up when `code` is it (returns None); otherwise returns the refusal to
        raise, having recorded a wrong guess when the code was still usable. The application
        saves in either case: a wrong guess counts."""
        if not self.sealed_code:
            return InvalidCode()
        assert self.expires_at is not None
        if now >= self.expires_at:
            return ExpiredCode()
        if self.attempts >= MAX_ATTEMPTS:
            return ExhaustedCode()
        expected = sealer.open(self.sealed_code, self.id, _SEALED_FIELD)
        if not hmac.compare_digest(expected, code.strip().encode()):
            self._failed()
            return ExhaustedCode() if self.attempts >= MAX_ATTEMPTS else InvalidCode()
        self._used()
        return None

    def _usable(self, now: datetime) -> bool:
        return bool(self.sealed_code) and self.expires_at is not None and now < self.expires_at \
            and self.attempts < MAX_ATTEMPTS

    @event(Issued)
    def _issued(self, sealed_code: str, expires_at: datetime) -> None:
        self.sealed_code = sealed_code
        self.expires_at = expires_at
        self.attempts = 0

    @event(Failed)
    def _failed(self) -> None:
        self.attempts += 1

    @event(Used)
    def _used(self) -> None:
        self.sealed_code = ""
        self.expires_at = None
        self.attempts = 0


def load_code(store: EventStore, user_id: str, purpose: CodePurpose) -> VerificationCode:
    """The user's code aggregate for `purpose`, or a new one (recorded with its first code)."""
    found = store.load(VerificationCode.create_id(user_id, purpose), VerificationCode)
    return found if found is not None else VerificationCode(user_id, str(purpose))
