"""Read-model databases: SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
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

    def announce_progress(self, cursor: Cursor) -> None:
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

    def announce_progress(self, cursor: Cursor) -> None:
        # Delivered to listeners when (and only if) the batch's transaction commits.
        cursor.execute("SELECT pg_notify($1, '')", (PROGRESS_CHANNEL,))

    def close(self) -> None:
        self._pool.close()
