"""What a read model needs of its database: transactions over SQL in one portable dialect.

SQL here uses ``?`` placeholders and the subset SQLite and PostgreSQL share; the
adapters translate placeholders for their driver."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    def fetchone(self) -> tuple[Any, ...] | None: ...

    def fetchall(self) -> list[tuple[Any, ...]]: ...


class ReadDatabase(Protocol):
    def transaction(self) -> AbstractContextManager[Cursor]:
        """A read-write transaction, committed when the block ends without error."""

    def exclusive(self) -> AbstractContextManager[Cursor]:
        """A read-write transaction that no other process's `exclusive` runs beside
        (for schema changes, which several replicas may attempt at once)."""

    def snapshot(self) -> AbstractContextManager[Cursor]:
        """A read-only transaction that sees one consistent state."""

    def close(self) -> None: ...
