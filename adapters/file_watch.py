"""Cross-process wake-ups for the embedded default: SQLite has no LISTEN/NOTIFY.

Every commit to a database in WAL mode writes its -wal file (and a checkpoint the file
itself), so a change of either file's (inode, mtime, size) means another process (or
this one) may have committed. Checking that is a stat() per file, so polling it every
~50 ms costs next to nothing, unlike querying the database."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

INTERVAL_SECONDS = 0.05

Signature = tuple[int, int, int] | None


def database_files(database: Path) -> tuple[Path, Path]:
    """The database file and its write-ahead log."""
    return database, database.with_name(database.name + "-wal")


class FileWatch:
    """One thread that calls each group's signal when any of the group's files changes."""

    def __init__(self, groups: Sequence[tuple[Sequence[Path], Callable[[], Any]]],
                 interval: float = INTERVAL_SECONDS) -> None:
        self._groups = groups
        self._interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="file-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        seen = [self._signatures(paths) for paths, _ in self._groups]
        while not self._stopping.wait(self._interval):
            for index, (paths, signal) in enumerate(self._groups):
                now = self._signatures(paths)
                if now != seen[index]:
                    seen[index] = now
                    signal()

    @staticmethod
    def _signatures(paths: Sequence[Path]) -> list[Signature]:
        return [_signature(path) for path in paths]


def _signature(path: Path) -> Signature:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size
