"""SQLite database files that several rigd processes (or threads) open at the same moment.

Switching a new file to WAL takes an exclusive lock that SQLite does not wait for (the
busy timeout does not apply), and eventsourcing creates its tables in a transaction
that first reads, then writes; both fail with "database is locked" when replicas start
together. So the first opener prepares the file, and creates the event store's tables,
while holding an operating-system lock on a file beside it; the others wait for it.

The data directory is created readable by its owner only (0700) and the database files
0600, whatever the umask: they hold every event, sealed secrets and the key beside them.
SQLite gives its -wal and -shm files the mode of the database file."""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

LOCK_TIMEOUT_SECONDS = 30
PRIVATE_DIRECTORY = 0o700
PRIVATE_FILE = 0o600


def private_directory(path: Path) -> None:
    """Creates `path` (and its parents) if needed; `path` itself only its owner may enter
    (mkdir's mode is only ever narrowed by the umask, never widened)."""
    path.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)


def private_file(path: Path) -> None:
    """Creates `path` empty, readable and writable by its owner only, if it does not exist."""
    private_directory(path.parent)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE))


@contextmanager
def exclusively(database: Path) -> Iterator[None]:
    """Holds an exclusive lock on `<database>.lock` (released when the process ends, too)."""
    private_directory(database.parent)
    descriptor = os.open(database.with_name(database.name + ".lock"), os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def prepare_wal(database: Path) -> None:
    """Creates the file if needed and puts it in WAL mode (which the file remembers), so
    connections opened later need not change the journal mode."""
    with exclusively(database):
        private_file(database)  # before SQLite creates it with its own mode (0644 less the umask)
        with closing(sqlite3.connect(database, timeout=LOCK_TIMEOUT_SECONDS)) as connection:
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                connection.execute("PRAGMA journal_mode=WAL")


def create_sqlite_schema(database: Path, create_tables: Callable[[], None]) -> None:
    """Runs `create_tables` while no other process prepares the same file."""
    with exclusively(database):
        create_tables()
