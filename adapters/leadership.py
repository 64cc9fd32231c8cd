"""Leadership of a follower role (projector now; deployer and relay later): one active
process at a time, the others on standby, taking over when the leader goes away.

Leadership saves duplicate work; it is not what keeps followers correct (the projector's
row lock does that), so a short overlap while a lost leader notices is harmless."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
from pathlib import Path

import psycopg

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


class _Leadership:
    """The common half: a thread that tries to lead until stopped, and an event for waiters."""

    def __init__(self, role: str) -> None:
        self.role = role
        self._held = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"leadership-{role}", daemon=True)

    def held(self) -> bool:
        return self._held.is_set()

    def wait_held(self, timeout: float) -> bool:
        return self._held.wait(timeout)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._held.clear()

    def _gained(self) -> None:
        log.info("leading %s", self.role)
        self._held.set()

    def _lost(self, reason: str) -> None:
        if self._held.is_set():
            log.warning("no longer leading %s: %s", self.role, reason)
        self._held.clear()

    def _run(self) -> None:
        raise NotImplementedError


class PostgresLeadership(_Leadership):
    """Holds a session-level advisory lock on a connection of its own; the lock goes
    with the session, so a leader that dies or loses its connection lets another lead."""

    def __init__(self, conninfo: str, role: str) -> None:
        super().__init__(role)
        self._conninfo = conninfo
        digest = hashlib.sha256(f"rigd-leader/{role}".encode()).digest()
        self._key = int.from_bytes(digest[:8], "big", signed=True)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    self._hold(connection)
            except psycopg.Error as error:
                self._lost(f"database connection failed: {error}")
            self._stopping.wait(RETRY_SECONDS)
        self._lost("stopping")

    def _hold(self, connection: psycopg.Connection[tuple[object, ...]]) -> None:
        while not self._stopping.is_set():
            if self.held():
                connection.execute("SELECT 1")  # the session, and with it the lock, is alive
            else:
                row = connection.execute("SELECT pg_try_advisory_lock(%s)", (self._key,)).fetchone()
                if row and row[0]:
                    self._gained()
            self._stopping.wait(RETRY_SECONDS)


class FileLeadership(_Leadership):
    """For the embedded default: an exclusive lock on a file under the data directory,
    released by the operating system when the process ends."""

    def __init__(self, path: Path, role: str) -> None:
        super().__init__(role)
        self._path = path

    def _run(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            while not self._stopping.is_set():
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    self._stopping.wait(RETRY_SECONDS)
                    continue
                self._gained()
                self._stopping.wait()
        finally:
            self._lost("stopping")
            os.close(descriptor)  # releases the lock
