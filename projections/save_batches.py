"""Read-model batches written in the event store's own save transaction (PostgreSQL, where the
read models live in the event store's database).

A command whose reader waits for its write (read-your-writes) would otherwise commit twice:
its events, then a read-model batch. Here the save's transaction, after inserting its events,
also applies them to the read models named for it and moves their positions, so one commit
holds both and the reader finds its write at once.

It is the follower's batch, run elsewhere, with the same guarantees:

- exactly once: the batch holds the live generation's position row (projections.generations),
  as every batch does, and starts from the position it finds there;
- in log order: the save holds the events table's lock, so every earlier event is committed;
  those of the read model not applied yet (another process's, or a batch left to the
  follower) are applied first, read within the same transaction;
- never waiting while the save holds that lock: a position row another batch (or a switch
  to a rebuilt generation) holds is skipped, as is a long backlog; the follower then
  applies the save's events, as for any save;
- rebuildable: the rows are written by the read model's own handlers, as a replay writes them.

Knowing the generation it wrote last, a save sends the position row's lock and its writes
together and checks the lock's answer before moving the position (one round trip fewer);
if the read model is not where it guessed, those writes are rolled back and it starts over."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from eventsourcing.persistence import Mapper, Notification

from rigd.projections import generations
from rigd.projections.database import Cursor
from rigd.projections.follower import Notified
from rigd.projections.read_model import GenerationWrite, ReadModel

# A save applies at most this many earlier events of a read model before its own; a longer
# backlog is the follower's (the save holds the events table's lock meanwhile).
BACKLOG_LIMIT = 50


class SaveTransaction(Protocol):
    """What a save's transaction offers the batches written in it (an adapter makes it)."""

    @property
    def cursor(self) -> Cursor: ...

    def new_cursor(self) -> Cursor:
        """Another cursor in the transaction (its answers are read apart from `cursor`'s)."""

    def savepoint(self) -> AbstractContextManager[None]:
        """A block whose writes are rolled back if it raises."""

    def notifications(self, start: int, stop: int, topics: Sequence[str], limit: int) -> Sequence[Notification]:
        """The log from `start` to `stop` (inclusive), only these topics, at most `limit`."""


class _GuessMissed(Exception):
    """The read model was not where a save guessed: its writes are rolled back."""


def apply_in_save(model: ReadModel, transaction: SaveTransaction, recorded: Sequence[tuple[Any, int]],
                  mapper: Mapper[Any], generation: int = 0) -> tuple[int, int]:
    """Applies the read model's events up to the save's last one, in the save's transaction;
    returns the generation and the position it moved to, or (0, 0) when it left them to the
    follower. `generation`: the one last written (0 if unknown); when the read model is
    still there with nothing to apply before the save's events (the usual case), the writes
    go out with the lock in one round trip instead of after it."""
    if generation:
        try:
            with transaction.savepoint():
                return _apply_guessed(model, transaction, recorded, generation)
        except Exception:  # _GuessMissed, or the guessed generation's tables are gone (a rebuild)
            pass
    return _apply_locked(model, transaction, recorded, mapper)


def _apply_guessed(model: ReadModel, transaction: SaveTransaction, recorded: Sequence[tuple[Any, int]],
                   generation: int) -> tuple[int, int]:
    """Sends the lock, then the writes, and checks the lock's answer before moving the
    position. The writes run after the lock (statements run in order), so when it was not
    taken as guessed they are rolled back, never committed."""
    first, last = recorded[0][1], recorded[-1][1]
    lock = transaction.new_cursor()
    generations.ask_lock_live_unless_held(lock, model.name, model.version)
    model.handle([Notified(event, notification_id) for event, notification_id in recorded],
                 GenerationWrite(transaction.cursor, generation))
    if generations.locked(lock) != (generation, first - 1):
        raise _GuessMissed()
    generations.move(transaction.cursor, model.name, generation, last)
    return generation, last


def _apply_locked(model: ReadModel, transaction: SaveTransaction, recorded: Sequence[tuple[Any, int]],
                  mapper: Mapper[Any]) -> tuple[int, int]:
    cursor = transaction.cursor
    first, last = recorded[0][1], recorded[-1][1]
    locked = generations.lock_live_unless_held(cursor, model.name, model.version)
    if locked is None:
        return 0, 0
    generation, position = locked
    if position >= first:
        return 0, 0  # (cannot be: the save's events are not committed yet)
    backlog: list[Notified] = []
    if position < first - 1:
        earlier = transaction.notifications(position + 1, first - 1, model.topics(), BACKLOG_LIMIT)
        if len(earlier) >= BACKLOG_LIMIT:
            return 0, 0
        backlog = [Notified(mapper.to_domain_event(n), n.id) for n in earlier]
    model.handle([*backlog, *(Notified(event, notification_id) for event, notification_id in recorded)],
                 GenerationWrite(cursor, generation))
    generations.move(cursor, model.name, generation, last)
    return generation, last
