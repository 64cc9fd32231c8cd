"""`Logs`: the lines of one or all instances of a capsule, then (following) new ones as they
are written, across container restarts and instances that appear, until closed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from rigd.adapters.local_cluster import logfiles
from rigd.domain.cluster_driver import LogLine, LogSelection, LogStream

POLL_SECONDS = 0.1


class LocalLogFeed:
    """See `rigd.domain.cluster_driver.LogFeed`. `folders` answers the log folder of each
    selected instance (asked again while following, so new instances join)."""

    def __init__(
        self, folders: Callable[[], dict[str, Path]], selection: LogSelection, now: Callable[[], datetime]
    ) -> None:
        self._folders = folders
        self._selection = selection
        self._since = None if selection.since is None else now() - selection.since
        self._closed = threading.Event()

    def close(self) -> None:
        self._closed.set()

    def __iter__(self) -> Iterator[LogLine]:
        following = self._selection.follow and not self._selection.previous
        cursors: dict[str, logfiles.LogCursor] = {}
        first = self._add(cursors, following, self._folders())
        yield from sorted(first, key=lambda line: line.timestamp)
        while following and not self._closed.wait(POLL_SECONDS):
            folders = self._folders()
            lines = self._add(cursors, following, folders)
            for instance_id, cursor in cursors.items():
                lines.extend(_line(instance_id, record) for record in cursor.read())
            yield from sorted(lines, key=lambda line: line.timestamp)
            wanted = self._selection.instance_id
            if wanted is not None and wanted not in folders:
                return  # the instance is gone, as a pod's followed log ends when it is deleted

    def _add(self, cursors: dict[str, logfiles.LogCursor], following: bool, folders: dict[str, Path]) -> list[LogLine]:
        """Opens the instances not read yet; answers their lines so far."""
        lines: list[LogLine] = []
        for instance_id, folder in folders.items():
            if instance_id in cursors:
                continue
            numbers = logfiles.containers(folder)
            if self._selection.previous:
                if len(numbers) < 2:
                    continue
                container = numbers[-2]
            else:
                container = numbers[-1] if numbers else 1
            cursor = cursors[instance_id] = logfiles.LogCursor(folder, container, follow_later=following)
            lines.extend(
                _line(instance_id, record)
                for record in cursor.read()
                if self._since is None or record.timestamp >= self._since
            )
        return lines


def _line(instance_id: str, record: logfiles.Record) -> LogLine:
    stream = LogStream(record.stream)
    return LogLine(record.timestamp, instance_id, stream, b"" if stream is LogStream.TERMINATION else record.data)
