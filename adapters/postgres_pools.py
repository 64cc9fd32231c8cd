"""PostgreSQL connection pools that never make a call wait longer than it may, and come back fast.

Three rules for every pooled connection rigd takes (the event store's and the read models'):

- While the database is known to be down (the health monitor's probe says so), taking a
  connection fails at once instead of queueing: abandoned calls must not pile up on the
  pool and hold every RPC worker.
- Waiting for a connection lasts no longer than the remaining time of the call being
  served (`rigd.domain.context.current_bounds`), and never more than `MAX_WAIT_SECONDS`.
- A lost connection is re-made every half second, not on psycopg_pool's doubling backoff
  (which left rigd without connections for up to 20 s after the database came back), and
  the pool's own warning per failed attempt is left out: the monitor warns once per outage.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import psycopg_pool
from eventsourcing.postgres import ConnectionPool as EventsourcingConnectionPool
from psycopg_pool.base import AttemptWithBackoff

from rigd.domain.context import current_bounds

# The cap on waiting for a pooled connection when the call has no deadline (or more time).
MAX_WAIT_SECONDS = 5.0


class StoreUnreachable(ConnectionError):
    """The database is known to be down; nothing was tried. Deliberately not a driver
    error: the library retries those (ten times), and this must fail at once."""


class Reachability:
    """Whether the database answered the health monitor's last probe. Until a monitor says
    otherwise it is taken to be reachable (a rigd without a monitor behaves as before)."""

    def __init__(self) -> None:
        self._down_reason = ""
        self._lock = threading.Lock()

    def mark_down(self, reason: str) -> None:
        with self._lock:
            self._down_reason = reason or "it does not answer"

    def mark_up(self) -> None:
        with self._lock:
            self._down_reason = ""

    @property
    def reachable(self) -> bool:
        return not self._down_reason

    def check(self) -> None:
        reason = self._down_reason
        if reason:
            raise StoreUnreachable(f"the database is not reachable ({reason})")


class _SteadyAttempt(AttemptWithBackoff):
    """Reconnects every half second (with jitter) for as long as the database is away."""

    INITIAL_DELAY = 0.5
    DELAY_BACKOFF = 1.0


class _ReconnectNoise(logging.Filter):
    """Drops psycopg_pool's warning per failed reconnection attempt (one every half second
    in an outage) and per broken connection: the health monitor reports the outage once."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        return not message.startswith(("error connecting in", "discarding broken connection",
                                       "reconnection attempt in pool"))


def _quiet_reconnect_noise() -> None:
    pool_log = logging.getLogger("psycopg.pool")
    if not any(isinstance(existing, _ReconnectNoise) for existing in pool_log.filters):
        pool_log.addFilter(_ReconnectNoise())


def connection_wait(default: float) -> float:
    """How long the call being served may wait for a connection (seconds, > 0); raises the
    call's DeadlineExceeded or Cancelled when it may not wait at all."""
    bounds = current_bounds()
    bounds.check()
    wait = min(default, MAX_WAIT_SECONDS)
    remaining = bounds.remaining()
    return wait if remaining is None else max(0.001, min(wait, remaining))


class _Bounded:
    """The rules above, for any psycopg_pool pool class."""

    reachability: Reachability
    timeout: float

    def _init_bounds(self, reachability: Reachability) -> None:
        self.reachability = reachability
        _quiet_reconnect_noise()

    def getconn(self, timeout: float | None = None) -> Any:
        self.reachability.check()
        return super().getconn(timeout=connection_wait(self.timeout if timeout is None else timeout))  # type: ignore[misc]

    def _add_connection(self, attempt: AttemptWithBackoff | None, growing: bool = False) -> None:
        if attempt is None:
            attempt = _SteadyAttempt(timeout=getattr(self, "reconnect_timeout", 300.0))
        super()._add_connection(attempt, growing)  # type: ignore[misc]


class BoundedPool(_Bounded, psycopg_pool.ConnectionPool[Any]):
    """psycopg_pool's pool under the rules above (the read models' pool)."""

    def __init__(self, conninfo: str, reachability: Reachability, **kwargs: Any) -> None:
        self._init_bounds(reachability)
        super().__init__(conninfo, **kwargs)


class BoundedEventsourcingPool(_Bounded, EventsourcingConnectionPool[Any]):
    """eventsourcing's pool (psycopg_pool's, with a password callback) under the rules above."""

    def __init__(self, conninfo: str, reachability: Reachability, **kwargs: Any) -> None:
        self._init_bounds(reachability)
        super().__init__(conninfo, **kwargs)


def remaining_milliseconds() -> int | None:
    """The call's remaining time in whole milliseconds (at least 1), None without a deadline."""
    remaining = current_bounds().remaining()
    return None if remaining is None else max(1, min(_MAX_MILLISECONDS, int(remaining * 1000)))


_MAX_MILLISECONDS = 2**31 - 1  # PostgreSQL's largest statement_timeout
