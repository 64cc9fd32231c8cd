"""The eventsourcing library's settings for our two stores."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import psycopg
from eventsourcing.persistence import Recorder
from eventsourcing.utils import get_topic
from psycopg import sql

from rigd.adapters.event_store_recorders import RigdPostgresProcessRecorder, RigdSQLiteProcessRecorder


class DatabaseUrlError(ValueError):
    pass


def sqlite_settings(path: Path) -> dict[str, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
        "PROCESS_RECORDER_TOPIC": get_topic(RigdSQLiteProcessRecorder),
        # Tables are created by sqlite_files.create_sqlite_schema, under a file lock.
        "CREATE_TABLE": "no",
    }


def postgres_settings(url: str) -> dict[str, str]:
    """Settings from a ``postgresql://user:password@host:port/dbname?schema=...`` URL."""
    parsed = urlparse(url)
    if parsed.scheme not in ("postgresql", "postgres"):
        raise DatabaseUrlError("must start with postgresql://")
    dbname = unquote(parsed.path.lstrip("/"))
    if not dbname:
        raise DatabaseUrlError("names no database (postgresql://host/DBNAME)")
    try:
        port = parsed.port or 5432
    except ValueError:
        raise DatabaseUrlError("has an invalid port") from None
    query = parse_qs(parsed.query)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parsed.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(parsed.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parsed.password or ""),
        "POSTGRES_SCHEMA": query.get("schema", ["public"])[0],
        "POSTGRES_POOL_SIZE": "10",
        "POSTGRES_MAX_OVERFLOW": "10",
        "POSTGRES_LOCK_TIMEOUT": "10",
        "PROCESS_RECORDER_TOPIC": get_topic(RigdPostgresProcessRecorder),
        # Tables are created by create_postgres_schema, under a lock: replicas may start together.
        "CREATE_TABLE": "no",
    }


class DatabaseUnreachable(ConnectionError):
    pass


def check_postgres_reachable(url: str, timeout_seconds: int = 10) -> None:
    """Fails fast, with the server's reason, when the database cannot be used."""
    try:
        with psycopg.connect(postgres_conninfo(url), connect_timeout=timeout_seconds):
            pass
    except psycopg.Error as error:
        reason = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
        raise DatabaseUnreachable(reason or type(error).__name__) from None


def postgres_conninfo(url: str) -> str:
    """The URL without the rigd-only query parameters, for psycopg."""
    parsed = urlparse(url)
    return parsed._replace(query="").geturl()


_SCHEMA_LOCK = 0x72696765  # the advisory lock that serializes event-store schema creation


def create_postgres_schema(url: str, create_tables: Callable[[], None]) -> None:
    """Runs `create_tables` while holding a PostgreSQL advisory lock, so that replicas
    starting at the same moment do not race on CREATE TABLE."""
    with psycopg.connect(postgres_conninfo(url), autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            create_tables()
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))


class StoreMisconfigured(RuntimeError):
    pass


SerialisingRecorder = RigdPostgresProcessRecorder | RigdSQLiteProcessRecorder


def check_inserts_serialise(recorder: Recorder, uses_postgres: bool) -> SerialisingRecorder:
    """Refuses a store whose inserts may commit out of notification-id order.

    Followers take "every id up to the newest is committed" for granted; PostgreSQL gives
    that only while each insert takes the events table's EXCLUSIVE lock, which the
    library's database-function insert path (POSTGRES_ENABLE_DB_FUNCTIONS) skips. SQLite
    has one writer at a time; an in-memory store would lose everything on exit."""
    if not uses_postgres:
        if type(recorder) is not RigdSQLiteProcessRecorder:
            raise StoreMisconfigured(f"expected rigd's SQLite process recorder, got {type(recorder).__name__}")
        if recorder.datastore.pool.is_sqlite_memory_mode:
            raise StoreMisconfigured("the SQLite event store is in memory, not in a file")
        return recorder
    if type(recorder) is not RigdPostgresProcessRecorder:
        raise StoreMisconfigured(f"expected rigd's PostgreSQL process recorder, got {type(recorder).__name__}")
    if recorder.datastore.enable_db_functions:
        raise StoreMisconfigured("inserts go through database functions, which do not lock the events table")
    statements = [
        statement.as_string(None) if isinstance(statement, sql.Composable) else str(statement)
        for statement in recorder.lock_table_statements
    ]
    if not any(s.startswith("LOCK TABLE") and s.endswith("IN EXCLUSIVE MODE") for s in statements):
        raise StoreMisconfigured("inserts do not lock the events table, so they would not serialise")
    return recorder
