"""Read-model databases: SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from rigd.adapters.postgres_pools import MAX_WAIT_SECONDS, BoundedPool, Reachability
from rigd.adapters.sqlite_files import prepare_wal
from rigd.projections.database import Cursor


class _SQLiteCursor:
    """Gives SQLite the numbered parameters as the named ones it reads `$1`, `$2`, ... as."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._cursor.execute(sql, {str(number): value for number, value in enumerate(params, start=1)})

    def fetchone(self) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._cursor.fetchone()
        return row

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cursor.fetchall()


class SQLiteReadDatabase:
    """One connection per thread; WAL lets readers run beside the one writer."""

    def __init__(self, path: Path) -> None:
        prepare_wal(path)
        self._path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False, timeout=30)
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        yield from self._run("BEGIN IMMEDIATE")

    @contextmanager
    def exclusive(self) -> Iterator[Cursor]:
        yield from self._run("BEGIN IMMEDIATE")  # SQLite has one writer at a time anyway

    @contextmanager
    def snapshot(self) -> Iterator[Cursor]:
        yield from self._run("BEGIN")

    @contextmanager
    def build_lock(self, name: str, wait: bool) -> Iterator[bool]:
        """An exclusive lock on a file beside the database, released by the operating
        system when the process ends."""
        descriptor = os.open(self._path.with_name(f"{self._path.name}.{name}.build"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
            else:
                yield True
        finally:
            os.close(descriptor)

    def await_older_readers(self, timeout: float) -> None:
        """Nothing to wait for: a reader's snapshot (WAL) includes the schema, so a reader
        that began before a DROP still reads the dropped table's last state."""

    def derived_only(self, cursor: Cursor) -> None:
        """Nothing to relax: SQLite's commit is not where a batch spends its time."""

    def announce_progress(self, cursor: Cursor, read_model: str) -> None:
        """Nothing to send: the commit changes the database file, which other processes
        watch (adapters.sqlite_watch)."""

    def _run(self, begin: str) -> Iterator[Cursor]:
        cursor = self._connection().cursor()
        cursor.execute(begin)
        try:
            yield _SQLiteCursor(cursor)
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        else:
            cursor.execute("COMMIT")
        finally:
            cursor.close()

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()


_SCHEMA_LOCK = 0x72696764  # "rigd": the advisory lock that serializes read-model schema changes
PROGRESS_CHANNEL = "rigd_read_model_progress"  # NOTIFYed by every batch a projector commits
_READER_POLL = 0.05  # seconds between looks for readers older than a switch


def _lock_key(label: str) -> int:
    return int.from_bytes(hashlib.sha256(label.encode()).digest()[:8], "big", signed=True)


class PostgresReadDatabase:
    def __init__(self, conninfo: str, max_size: int = 10, reachability: Reachability | None = None) -> None:
        """`reachability`: shared with the event store's pool, so both fail fast in an outage."""
        self._pool = BoundedPool(
            conninfo, reachability or Reachability(), min_size=1, max_size=max_size, open=True, name="read-models",
            timeout=MAX_WAIT_SECONDS,
            # RawCursor hands `$1`, `$2`, ... to the server as they are: no placeholder rewriting.
            kwargs={"autocommit": True, "cursor_factory": psycopg.RawCursor},
        )

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        with self._pool.connection() as connection, connection.transaction(), connection.cursor() as cursor:
            yield cursor

    @contextmanager
    def exclusive(self) -> Iterator[Cursor]:
        with self.transaction() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock($1)", (_SCHEMA_LOCK,))
            yield cursor

    @contextmanager
    def snapshot(self) -> Iterator[Cursor]:
        with self._pool.connection() as connection:
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            try:
                with connection.transaction(), connection.cursor() as cursor:
                    yield cursor
            finally:
                connection.isolation_level = None

    @contextmanager
    def build_lock(self, name: str, wait: bool) -> Iterator[bool]:
        """A session-level advisory lock on a pooled connection; it goes with the session."""
        key = _lock_key(f"rigd-build/{name}")
        with self._pool.connection() as connection:
            if wait:
                connection.execute("SELECT pg_advisory_lock($1)", (key,))
            else:
                row = connection.execute("SELECT pg_try_advisory_lock($1)", (key,)).fetchone()
                if not (row and row[0]):
                    yield False
                    return
            try:
                yield True
            finally:
                connection.execute("SELECT pg_advisory_unlock($1)", (key,))

    def await_older_readers(self, timeout: float) -> None:
        """Polls pg_stat_activity until no other session of this database is in a transaction
        begun before now. (A reader's REPEATABLE READ snapshot begins with its first
        statement, after its transaction began: none is missed.)"""
        ends = time.monotonic() + timeout
        with self._pool.connection() as connection:
            row = connection.execute("SELECT clock_timestamp()").fetchone()
            since = row[0] if row else None
            while time.monotonic() < ends:
                row = connection.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND xact_start < $1",
                    (since,),
                ).fetchone()
                if not (row and row[0]):
                    return
                time.sleep(_READER_POLL)

    def derived_only(self, cursor: Cursor) -> None:
        # A commit then returns before its WAL is flushed: still atomic and at once visible
        # to readers (read-your-writes holds), only a server crash may lose the last batches.
        cursor.execute("SET LOCAL synchronous_commit = off")

    def announce_progress(self, cursor: Cursor, read_model: str) -> None:
        # Delivered to listeners when (and only if) the batch's transaction commits; the
        # payload names the read model (PostgreSQL folds identical ones in a transaction).
        cursor.execute("SELECT pg_notify($1, $2)", (PROGRESS_CHANNEL, read_model))

    def close(self) -> None:
        self._pool.close()
