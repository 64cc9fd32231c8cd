"""The eventsourcing library's settings for our two stores."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


class DatabaseUrlError(ValueError):
    pass


def sqlite_settings(path: Path) -> dict[str, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
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
    }


def postgres_conninfo(url: str) -> str:
    """The URL without the rigd-only query parameters, for psycopg."""
    parsed = urlparse(url)
    return parsed._replace(query="").geturl()
