"""Private files: state, specs and statuses are written whole (a reader never sees half of one)
and only the user running rigd can read them (they may hold secret config file contents)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """`path` as a folder, made with mode 0700 (each missing parent too)."""
    if not path.is_dir():
        private_dir(path.parent)
        path.mkdir(mode=DIR_MODE, exist_ok=True)
    return path


def append_private(path: Path) -> BinaryIO:
    """`path` opened to append, unbuffered, made with mode 0600 if missing."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE), "ab", buffering=0)


def write_private(path: Path, data: bytes) -> None:
    """Writes `data` to `path` atomically with mode 0600."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)
    os.replace(temporary, path)


def write_json(path: Path, document: Any) -> None:
    write_private(path, json.dumps(document, indent=1, sort_keys=True).encode())


def read_json(path: Path) -> Any:
    """The document at `path`, or None when there is none."""
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError:
        return None


def now() -> datetime:
    return datetime.now(UTC)


def timestamp(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
