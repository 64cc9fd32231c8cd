"""The eventsourcing library's settings for our two stores."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg
from eventsourcing.persistence import Recorder
from eventsourcing.utils import get_topic
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from rigd.adapters.event_store_recorders import (
    POSTGRES_CONNINFO,
    RigdPostgresFactory,
    RigdPostgresProcessRecorder,
    RigdSQLiteProcessRecorder,
)
from rigd.adapters.postgres_pools import MAX_WAIT_SECONDS
from rigd.adapters.sqlite_files import private_directory


class DatabaseUrlError(ValueError):
    pass


def sqlite_settings(path: Path) -> dict[str, str]:
    private_directory(path.parent)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
        "PROCESS_RECORDER_TOPIC": get_topic(RigdSQLiteProcessRecorder),
        # Tables are created by sqlite_files.create_sqlite_schema, under a file lock.
        "CREATE_TABLE": "no",
    }


def postgres_settings(url: str) -> dict[str, str]:
    """Settings from a ``postgresql://user:password@host:port/dbname?schema=...&sslmode=...`` URL.

    Every libpq parameter of the URL reaches every connection (POSTGRES_CONNINFO); the
    separate fields are the library's, which its own (unused) pool is built from."""
    params = _libpq_parameters(url)
    return {
        "PERSISTENCE_MODULE": get_topic(RigdPostgresFactory),
        POSTGRES_CONNINFO: postgres_conninfo(url),
        "POSTGRES_DBNAME": params["dbname"],
        "POSTGRES_HOST": params.get("host", "") or "127.0.0.1",
        "POSTGRES_PORT": params.get("port", "") or "5432",
        "POSTGRES_USER": params.get("user", "") or "postgres",
        "POSTGRES_PASSWORD": params.get("password", ""),
        "POSTGRES_SCHEMA": postgres_schema(url),
        "POSTGRES_POOL_SIZE": "10",
        "POSTGRES_MAX_OVERFLOW": "10",
        "POSTGRES_LOCK_TIMEOUT": "10",
        # The longest a call without a deadline waits for a pooled connection (the library
        # waits 30 s); adapters.postgres_pools bounds it further by the call's remaining time.
        "POSTGRES_CONNECT_TIMEOUT": str(int(MAX_WAIT_SECONDS)),
        "PROCESS_RECORDER_TOPIC": get_topic(RigdPostgresProcessRecorder),
        # Tables are created by create_postgres_schema, under a lock: replicas may start together.
        "CREATE_TABLE": "no",
    }


# Parameters libpq's URI parser may refuse; its messages quote the offending token, which
# can be (part of) the password, so rigd says what is wrong in its own words.
_LIBPQ_COMPLAINTS = (
    ("invalid percent-encoded token", "has an invalid percent-encoding (a '%' must be followed by two hex digits)"),
    ("unexpected spaces", "holds an unexpected space"),
    ("end of string reached when looking for matching", "has an unclosed '[' around its host"),
    ("unexpected character", "has an unexpected character around its host"),
    ("invalid URI query parameter", "has a query parameter libpq does not know"),
    ("extra key/value separator", "has a malformed query parameter"),
    ("missing key/value separator", "has a malformed query parameter"),
    ("forbidden value %00", "holds a NUL character"),
)
_RIGD_PARAMETERS = ("schema",)  # query parameters of rigd's, not libpq's
DEFAULT_CONNECT_TIMEOUT = "5"  # seconds; libpq waits for ever (the OS's TCP timeout) without one


def _libpq_parameters(url: str) -> dict[str, str]:
    """The URL's libpq parameters (rigd's own taken out); DatabaseUrlError, never repeating
    any part of the URL, when it is not one."""
    if not url.startswith(("postgresql://", "postgres://")):
        raise DatabaseUrlError("must start with postgresql://")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number below 65536)
    except ValueError as error:
        if "IPv6" in str(error):
            raise DatabaseUrlError("has an unclosed '[' around its host") from None
        raise DatabaseUrlError("has an invalid port") from None
    try:
        params = conninfo_to_dict(_without_rigd_parameters(url))
    except psycopg.Error as error:
        reason = next((said for prefix, said in _LIBPQ_COMPLAINTS if str(error).startswith(prefix)), "")
        raise DatabaseUrlError(reason or "is not a valid PostgreSQL URL") from None
    if not params.get("dbname"):
        raise DatabaseUrlError("names no database (postgresql://host/DBNAME)")
    return {key: str(value) for key, value in params.items() if value is not None}


def _without_rigd_parameters(url: str) -> str:
    base, question, query = url.partition("?")
    if not question:
        return url
    kept = [pair for pair in query.split("&") if unquote(pair.partition("=")[0]) not in _RIGD_PARAMETERS]
    return base + ("?" + "&".join(kept) if kept else "")


def postgres_schema(url: str) -> str:
    """The schema rigd's event store tables live in (``?schema=``, by default public)."""
    query = parse_qs(urlsplit(url).query)
    return query.get("schema", ["public"])[0] or "public"


class DatabaseUnreachable(ConnectionError):
    pass


def check_postgres_reachable(url: str, timeout_seconds: int = 10) -> None:
    """Fails fast, with the server's reason, when the database cannot be used, or when the
    URL's schema does not exist."""
    schema = postgres_schema(url)
    try:
        with psycopg.connect(postgres_conninfo(url), connect_timeout=timeout_seconds) as connection:
            found = connection.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
    except psycopg.Error as error:
        reason = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
        raise DatabaseUnreachable(reason or type(error).__name__) from None
    if found is None:
        raise DatabaseUnreachable(f"schema {schema!r} does not exist (create it, or leave out ?schema=)")


def postgres_conninfo(url: str) -> str:
    """The libpq connection string of the URL: every libpq parameter it has (sslmode,
    application_name, options, ...), rigd's own left out, a connect timeout added if it has none."""
    params = _libpq_parameters(url)
    params.setdefault("connect_timeout", DEFAULT_CONNECT_TIMEOUT)
    return make_conninfo("", **params)


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
