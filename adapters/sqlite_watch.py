"""Cross-process wake-ups for the embedded default: SQLite has no LISTEN/NOTIFY.

`PRAGMA data_version` answers a different number whenever another connection (of this
process or another) has committed to the database since the last time it was asked. It
reads the WAL index in shared memory, not a table, so asking every ~50 ms costs next to
nothing. (Watching the files' size and mtime is not enough: after a checkpoint SQLite
rewrites the WAL in place, and mtime is too coarse to tell two quick commits apart.)"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 0.05


class SQLiteChangeWatch:
    """One thread that calls each database's signal when another connection committed to it."""

    def __init__(self, databases: Sequence[tuple[Path, Callable[[], Any]]], interval: float = INTERVAL_SECONDS) -> None:
        self._databases = databases
        self._interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        with ExitStack() as connections:
            watched = []
            for path, signal in self._databases:
                # autocommit: the watch never holds a read transaction that would pin the WAL
                connection = sqlite3.connect(path, isolation_level=None, timeout=30)
                connections.callback(connection.close)
                watched.append((connection, signal))
            seen = [_data_version(connection) for connection, _ in watched]
            while not self._stopping.wait(self._interval):
                for index, (connection, signal) in enumerate(watched):
                    now = _data_version(connection)
                    if now != seen[index]:
                        seen[index] = now
                        signal()


def _data_version(connection: sqlite3.Connection) -> int:
    try:
        return int(connection.execute("PRAGMA data_version").fetchone()[0])
    except sqlite3.Error:
        log.warning("cannot ask SQLite for its data version", exc_info=True)
        return -1
