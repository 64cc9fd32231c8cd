"""The failed-login throttle: repeated wrong passwords for one identifier are slowed, then refused.

The policy, per normalized identifier (the email, username or client id a login names):

- Failures count within a window of 15 minutes; a successful login clears them.
- From the 3rd failure in the window, each failed answer is held back: 1 s, then 2 s, ...
  (at most 8 s), so guessing by hand is slowed before it is stopped.
- The 5th failure in the window locks the identifier for 15 minutes. While locked, every
  login for it is refused with RESOURCE_EXHAUSTED, a correct password too, and no attempt
  counts. Each further lock before a success doubles the time (30 min, 1 h, ...), up to 24 h.

The state lives in one aggregate per identifier (a deterministic id), built from its
failure, lock and success events: it survives restarts, and every replica sees one count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.errors import ResourceExhausted
from rigd.domain.event_store import EventStore
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent
from rigd.domain.identity import stable_id


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=15)
    slow_from: int = 3  # the failure (in the window) from which answers are held back
    max_delay: float = 8.0  # seconds
    lock_at: int = 5  # the failure (in the window) that locks
    lock_for: timedelta = timedelta(minutes=15)  # the first lock; each further one doubles
    max_lock: timedelta = timedelta(hours=24)

    def delay(self, failures: int) -> float:
        """Seconds to hold back the answer to a login that made `failures` in the window."""
        if failures < self.slow_from:
            return 0.0
        return float(min(self.max_delay, 2 ** (failures - self.slow_from)))

    def lock_duration(self, locks_before: int) -> timedelta:
        return min(self.max_lock, self.lock_for * 2**locks_before)


POLICY = ThrottlePolicy()


def normalized_identifier(identifier: str) -> str:
    """One key per person however they type it: emails and usernames compare case-insensitively."""
    return identifier.strip().casefold()


class LoginsThrottled(ResourceExhausted):
    def __init__(self, until: datetime, now: datetime) -> None:
        minutes = max(1, -(-int((until - now).total_seconds()) // 60))  # rounded up
        super().__init__(
            f"too many failed logins for this identifier; try again in {minutes} minute"
            f"{'' if minutes == 1 else 's'} (after {until:%Y-%m-%d %H:%M:%S} UTC)")
        self.until = until


class LoginThrottle(AuditedAggregate):
    """The recent failed logins of one identifier."""

    TOPIC = "login-throttle"
    snapshot_interval: ClassVar[int] = 50  # an identifier under attack for months stays fast to load

    class Created(AuditedCreated):
        TOPIC = "login-throttle.Created"
        # Never published: people type passwords into the identifier field by mistake.
        PUBLIC_WITHHOLDS = ("identifier",)
        identifier: str

    class Failed(AuditedEvent):
        TOPIC = "login-throttle.Failed"
        at: datetime

    class Locked(AuditedEvent):
        TOPIC = "login-throttle.Locked"
        until: datetime

    class Succeeded(AuditedEvent):
        TOPIC = "login-throttle.Succeeded"

    @staticmethod
    def create_id(identifier: str, **_: Any) -> UUID:
        return stable_id("login-throttle", normalized_identifier(identifier))

    @event(Created)
    def __init__(self, identifier: str) -> None:
        self.identifier = normalized_identifier(identifier)
        self.failures: list[datetime] = []  # in the current window, oldest first
        self.locked_until: datetime | None = None
        self.locks = 0  # locks since the last success

    def refusal(self, now: datetime) -> LoginsThrottled | None:
        """The refusal of any login for this identifier now (a correct password too), or None."""
        if self.locked_until is not None and now < self.locked_until:
            return LoginsThrottled(self.locked_until, now)
        return None

    def record_failure(self, now: datetime, policy: ThrottlePolicy = POLICY) -> float:
        """Records a failed login; locks at the policy's count. Returns the seconds the
        answer should be held back."""
        self._failed(now)
        recent = self._recent(now, policy)
        if recent >= policy.lock_at:
            self._locked(now + policy.lock_duration(self.locks))
        return policy.delay(recent)

    def record_success(self) -> None:
        """A login that passed: the count starts again (no event when there was nothing to clear)."""
        if self.failures or self.locks:
            self._succeeded()

    def _recent(self, now: datetime, policy: ThrottlePolicy) -> int:
        return sum(1 for at in self.failures if now - at < policy.window)

    @event(Failed)
    def _failed(self, at: datetime) -> None:
        # keep a day of failures at most: the aggregate's state stays small however long the attack
        self.failures = [seen for seen in self.failures if at - seen < timedelta(days=1)] + [at]

    @event(Locked)
    def _locked(self, until: datetime) -> None:
        self.locked_until = until
        self.locks += 1
        self.failures = []  # a lock consumes the failures that caused it

    @event(Succeeded)
    def _succeeded(self) -> None:
        self.failures = []
        self.locks = 0
        self.locked_until = None


def load_throttle(store: EventStore, identifier: str) -> LoginThrottle:
    """The identifier's throttle, or a new one (recorded with its first failure)."""
    found = store.load(LoginThrottle.create_id(identifier), LoginThrottle)
    return found if found is not None else LoginThrottle(normalized_identifier(identifier))


def login_refusal(store: EventStore, identifier: str, now: datetime) -> LoginsThrottled | None:
    """What every login for `identifier` asks first (a read: nothing is recorded)."""
    found = store.load(LoginThrottle.create_id(identifier), LoginThrottle)
    return found.refusal(now) if found is not None else None
