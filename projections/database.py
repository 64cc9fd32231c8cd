"""What a read model needs of its database: transactions over SQL in one portable dialect.

SQL here uses the subset SQLite and PostgreSQL share, with PostgreSQL's numbered
placeholders ``$1, $2, ...`` and the parameters as a sequence (``$1`` is ``params[0]``).
No adapter rewrites SQL text: the PostgreSQL adapter uses psycopg's ``RawCursor``, which
passes ``$n`` to the server as it is; SQLite reads ``$1`` as a parameter named ``"1"``,
so its adapter converts the parameters (not the SQL) to ``{"1": params[0], ...}``.
A placeholder may appear more than once; never use ``?`` or ``%s`` here."""

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

    def build_lock(self, name: str, wait: bool) -> AbstractContextManager[bool]:
        """Held by the one process building a generation of read model `name`; released when
        the block ends or the process dies. Yields False, without waiting, if `wait` is
        False and another process holds it."""

    def await_older_readers(self, timeout: float) -> None:
        """Returns once every transaction begun before the call has ended (at most after
        `timeout` seconds): after a switch, no reader still sees the retired generation live."""

    def announce_progress(self, cursor: Cursor, read_model: str) -> None:
        """Tells other processes, once this transaction commits, that `read_model` moved
        (readers waiting for their writes wake on it; caches of it drop what they hold)."""

    def derived_only(self, cursor: Cursor) -> None:
        """Marks this transaction as writing only what the event store can give again (a
        batch and its position, lost together or kept together): its commit need not wait
        for the disk, as a crash at worst makes the follower apply the batch again."""

    def close(self) -> None: ...
