"""An instance's logs on disk: one file per container (each run of its process), JSON lines of
`{"ts", "stream", "text" | "base64"}`, the last line of a finished container being its
termination. Text stays readable in the file; bytes that are not UTF-8 survive as base64."""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from rigd.adapters.local_cluster.files import append_private

SUFFIX = ".jsonl"


def container_log(folder: Path, container: int) -> Path:
    return folder / f"{container:06d}{SUFFIX}"


def containers(folder: Path) -> list[int]:
    """The numbers of the containers that have a log, in order."""
    try:
        return sorted(int(path.stem) for path in folder.glob(f"*{SUFFIX}") if path.stem.isdigit())
    except FileNotFoundError:
        return []


class LogWriter:
    """Appends records to one container's log; several pipe readers may share it."""

    def __init__(self, path: Path) -> None:
        self._file: IO[bytes] = append_private(path)
        self._lock = threading.Lock()

    def write(self, stream: str, data: bytes, **extra: Any) -> None:
        record: dict[str, Any] = {"ts": datetime.now(UTC).isoformat(), "stream": stream, **extra}
        try:
            record["text"] = data.decode("utf-8")
        except UnicodeDecodeError:
            record["base64"] = base64.b64encode(data).decode("ascii")
        line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
        with self._lock:
            self._file.write(line)

    def close(self) -> None:
        self._file.close()


@dataclass(frozen=True)
class Record:
    timestamp: datetime
    stream: str
    data: bytes


def parse(line: bytes) -> Record | None:
    try:
        record = json.loads(line)
        data = base64.b64decode(record["base64"]) if "base64" in record else record.get("text", "").encode()
        return Record(datetime.fromisoformat(record["ts"]), record["stream"], data)
    except (ValueError, KeyError, TypeError):
        return None  # a line cut by a crash mid-write


class LogCursor:
    """Reads one instance's logs from a container on, following it into later containers."""

    def __init__(self, folder: Path, container: int, follow_later: bool) -> None:
        self._folder = folder
        self._container = container
        self._offset = 0
        self._follow_later = follow_later

    def read(self) -> list[Record]:
        """The complete records written since the last read."""
        records: list[Record] = []
        while True:
            records.extend(self._read_current())
            if not self._follow_later:
                return records
            later = [number for number in containers(self._folder) if number > self._container]
            if not later:
                return records
            records.extend(self._read_current())  # what the container wrote before the next began
            self._container, self._offset = later[0], 0

    def _read_current(self) -> list[Record]:
        try:
            with open(container_log(self._folder, self._container), "rb") as file:
                file.seek(self._offset)
                chunk = file.read()
        except FileNotFoundError:
            return []
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self._offset += len(complete)
        return [record for line in complete.splitlines() if (record := parse(line)) is not None]
