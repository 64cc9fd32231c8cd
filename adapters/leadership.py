"""Leadership of a follower role (projector now; deployer and relay later) by a lease in the
read database: one process leads at a time, the others stand by and take over once the
leader's lease has lapsed.

A role's row in `leases` names its holder (one per process start), a fencing token that grows
with every new term (every change of holder, and a holder's return after a lapse), and when
the lease expires, by the database's clock: PostgreSQL's `clock_timestamp()`, or on SQLite the
clock of the one machine its processes share. The leader renews every `lease / 5` seconds
(1 s for the default 5 s lease); a standby tries as often and takes the row once it expired.

The leader's own view of its term ends `lease` seconds after it *sent* the renewal that granted
it, so never after the database's: a leader that cannot renew in time (frozen, cut off, slow)
stops leading at once, before anyone can take over. Leadership saves duplicate work; the fence
makes a late leader harmless: a batch moves its position only after `fence` found, in the
batch's own transaction, that this process still holds its term, and locked the lease row
until the batch commits, so no takeover slips in between."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.follower import LeaseLost

log = logging.getLogger(__name__)

LEASE_SECONDS = 5.0
RENEWALS_PER_LEASE = 5

# The database's clock in seconds since the epoch, as an SQL expression (the one place the
# dialects differ). clock_timestamp(), not now(): a batch's transaction may be old.
POSTGRES_CLOCK = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS DOUBLE PRECISION)"
SQLITE_CLOCK = "((julianday('now') - 2440587.5) * 86400.0)"
# How long a lease statement may wait for the lease row, on PostgreSQL (SQLite has one writer
# and its own busy timeout). Bounded because a process frozen inside a transaction keeps the
# row locked until the server ends its session: without a bound, each of that process's other
# batches would queue behind it, take the lock in turn, freeze with it for another lease time,
# and keep a standby from taking over for as many lease times as the process had batches open.
POSTGRES_LOCK_WAIT = "SET LOCAL lock_timeout = '{milliseconds}ms'"
LOCK_WAIT_SECONDS = 0.25

_CREATE = (
    "CREATE TABLE IF NOT EXISTS leases ("
    "role TEXT PRIMARY KEY, holder TEXT NOT NULL, token BIGINT NOT NULL, expires_at DOUBLE PRECISION NOT NULL)"
)
# Takes the row if it is free or expired, extends it if it is ours; returns the term's token,
# or no row while another holder's lease runs.
_TAKE = (
    "INSERT INTO leases (role, holder, token, expires_at) VALUES ($1, $2, 1, {clock} + $3) "
    "ON CONFLICT (role) DO UPDATE SET "
    "token = CASE WHEN leases.holder = excluded.holder AND leases.expires_at > {clock} "
    "THEN leases.token ELSE leases.token + 1 END, "
    "holder = excluded.holder, expires_at = excluded.expires_at "
    "WHERE leases.holder = excluded.holder OR leases.expires_at <= {clock} "
    "RETURNING token"
)
# An UPDATE, not a SELECT: it locks the row until the batch commits (portable; FOR SHARE is not).
_FENCE = (
    "UPDATE leases SET token = token "
    "WHERE role = $1 AND holder = $2 AND token = $3 AND expires_at > {clock} RETURNING token"
)
# On PostgreSQL a shared row lock does the same for a takeover (an UPDATE waits for it) while
# the batches of several read models hold it together rather than one after another.
_SHARED_FENCE = (
    "SELECT token FROM leases "
    "WHERE role = $1 AND holder = $2 AND token = $3 AND expires_at > {clock} FOR SHARE"
)
_RELEASE = "UPDATE leases SET expires_at = {clock} WHERE role = $1 AND holder = $2 AND expires_at > {clock}"


@dataclass(frozen=True)
class _Term:
    token: int
    until: float  # time.monotonic() at which this process stops counting on it


class LeaseLeadership:
    """Leads `role` while it holds the role's lease; `start` renews it on a thread of its own."""

    def __init__(self, database: ReadDatabase, role: str, clock: str, lease: float = LEASE_SECONDS,
                 on_fenced: Callable[[str], Any] | None = None, lock_wait: str = "") -> None:
        self.role = role
        self.holder = f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"
        self._database = database
        self._clock = clock
        self._lease = lease
        self._on_fenced = on_fenced
        self._lock_wait = lock_wait.format(milliseconds=round(min(LOCK_WAIT_SECONDS, lease / 5) * 1000))
        self._term: _Term | None = None
        self._announced = False  # "leading" was logged and "no longer leading" was not yet
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"leadership-{role}", daemon=True)

    def prepare(self) -> None:
        """Creates the leases table (once, however many replicas start together)."""
        with self._database.exclusive() as cursor:
            cursor.execute(_CREATE)

    def held(self) -> bool:
        term = self._term
        return term is not None and time.monotonic() < term.until

    def wait_held(self, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(self.held, timeout)

    @property
    def token(self) -> int | None:
        """The fencing token of this process's current term, if it leads."""
        term = self._term
        return term.token if term is not None and self.held() else None

    def renew(self) -> bool:
        """One attempt to take or extend the lease; True if this process now holds it."""
        sent = time.monotonic()
        with self._database.transaction() as cursor:
            self._bound_lock_wait(cursor)
            cursor.execute(self._sql(_TAKE), (self.role, self.holder, self._lease))
            row = cursor.fetchone()
        if row is None:
            self._end("another process holds the lease")
            return False
        with self._changed:
            self._term = _Term(int(row[0]), sent + self._lease)
            self._changed.notify_all()
        if not self._announced:
            self._announced = True
            log.info("leading %s (holder %s, token %s)", self.role, self.holder, row[0])
        return True

    def fence(self, cursor: Cursor) -> None:
        """Raises LeaseLost unless this process holds its term, by its own clock and the
        database's; run it in the transaction it guards, which then holds the lease row."""
        term = self._term
        if term is None or time.monotonic() >= term.until:
            self._fenced("its lease ran out before the batch could commit")
        self._bound_lock_wait(cursor)
        try:
            fence = _SHARED_FENCE if self._clock == POSTGRES_CLOCK else _FENCE
            cursor.execute(self._sql(fence), (self.role, self.holder, term.token))
        except Exception:  # the lease row stayed locked (a takeover, or a frozen batch of ours)
            self._fenced("the lease row stayed locked by another transaction")
        if cursor.fetchone() is None:
            self._fenced(f"the lease (token {term.token}) expired or passed to another process")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stops renewing and gives the lease up, so a standby takes over at its next try."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        had_term = self._term is not None
        self._end("stopping", logging.INFO)
        if had_term:
            try:
                with self._database.transaction() as cursor:
                    cursor.execute(self._sql(_RELEASE), (self.role, self.holder))
            except Exception as error:  # the lease then lapses by itself
                log.info("could not give up the %s lease: %s", self.role, error)

    def _run(self) -> None:
        every = self._lease / RENEWALS_PER_LEASE
        failing = False
        while not self._stopping.is_set():
            started = time.monotonic()
            try:
                self.renew()
            except Exception as error:  # either driver's errors: the term lapses unless a later try succeeds
                if not failing:
                    log.warning("cannot renew the %s lease: %s", self.role, error)
                failing = True
            else:
                if failing:
                    log.info("renewing the %s lease works again", self.role)
                failing = False
            if self._announced and not self.held():
                self._end("its lease was not renewed in time")
            self._stopping.wait(max(0.0, every - (time.monotonic() - started)))

    def _end(self, reason: str, level: int = logging.WARNING) -> None:
        with self._changed:
            self._term = None
            self._changed.notify_all()
        if self._announced:
            self._announced = False
            log.log(level, "no longer leading %s: %s", self.role, reason)

    def _fenced(self, reason: str) -> NoReturn:
        if self._on_fenced is not None:
            self._on_fenced(self.role)
        raise LeaseLost(f"{self.role}: {reason}; this process no longer leads it")

    def _bound_lock_wait(self, cursor: Cursor) -> None:
        if self._lock_wait:
            cursor.execute(self._lock_wait)

    def _sql(self, template: str) -> str:
        return template.format(clock=self._clock)


def ending_frozen_sessions(conninfo: str, after: float) -> str:
    """`conninfo` with PostgreSQL told to end a session idle in a transaction for `after`
    seconds: a leader frozen mid-batch then frees the position row it holds, and the batch
    rolls back (any `options` the URL gives are kept)."""
    options = conninfo_to_dict(conninfo).get("options") or ""
    setting = f"-c idle_in_transaction_session_timeout={round(after * 1000)}"
    return make_conninfo(conninfo, options=f"{options} {setting}".strip())
