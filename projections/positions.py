"""Where a follower keeps its position, and what commits with it: the three kinds.

- `ReadDatabasePositions`: read models. A batch's rows and its position commit in one
  read-database transaction that holds the position row: exactly once, even with two
  projectors of one read model.
- `TrackedPositions`: a process that records events in reaction (the deployer). The
  reaction's events and the position (eventsourcing's `Tracking`) commit in one
  event-store transaction: a crash neither loses nor repeats a reaction, and a second
  follower's batch for the same position is refused by the store.
- `AcknowledgedPositions`: a relay. The position is recorded only after the sink
  acknowledged the batch: at least once (a crash in between sends the batch again)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError, Tracking

from rigd.domain.event_store import EventStore
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.follower import Batch

log = logging.getLogger(__name__)


Fence = Callable[[Cursor], None]  # raises (follower.LeaseLost) when this process may no longer follow


class ReadDatabasePositions:
    """A row of `read_model_positions` (the projector creates the table). With a `fence`, a
    batch moves the position only if the fence, run in the batch's transaction after the
    position row is locked, lets it; otherwise the whole batch rolls back."""

    def __init__(self, database: ReadDatabase, name: str, fence: Fence | None = None) -> None:
        self._database = database
        self._name = name
        self._fence = fence

    def position(self) -> int:
        with self._database.snapshot() as cursor:
            return read_position(cursor, self._name)

    @contextmanager
    def batch(self) -> Iterator[Batch[Cursor]]:
        with self._database.transaction() as cursor:
            # Lock the position row first: a second projector of this read model waits
            # here and then starts from where this one ended.
            cursor.execute("UPDATE read_model_positions SET position = position WHERE name = $1", (self._name,))
            batch = Batch(read_position(cursor, self._name), cursor)
            yield batch
            if batch.end > batch.start:
                if self._fence is not None:
                    self._fence(cursor)
                cursor.execute("UPDATE read_model_positions SET position = $1 WHERE name = $2", (batch.end, self._name))
                self._database.announce_progress(cursor)


def read_position(cursor: Cursor, name: str) -> int:
    cursor.execute("SELECT position FROM read_model_positions WHERE name = $1", (name,))
    row = cursor.fetchone()
    return int(row[0]) if row else 0


class _TrackingRow:
    """The follower's tracking row in the event store (eventsourcing's `Tracking`)."""

    def __init__(self, store: EventStore, name: str) -> None:
        self._store = store
        self._name = name

    def position(self) -> int:
        return self._store.tracked_position(self._name)


class TrackedPositions(_TrackingRow):
    """The tracking row, written with the reaction's events."""

    @contextmanager
    def batch(self) -> Iterator[Batch[ProcessingEvent[UUID]]]:
        batch: Batch[ProcessingEvent[UUID]] = Batch(self.position(), ProcessingEvent())
        yield batch
        if batch.end <= batch.start:
            return
        batch.effects.tracking = Tracking(self._name, batch.end)
        try:
            self._store.record_processed(batch.effects, after=batch.start)
        except IntegrityError:
            # Another follower recorded this position first, or a reaction's aggregate
            # changed under it: nothing was written; the next batch starts afresh.
            log.info("follower %s: batch up to %s not recorded (a concurrent save won)", self._name, batch.end)


class AcknowledgedPositions(_TrackingRow):
    """The tracking row, written after the sink acknowledged."""

    @contextmanager
    def batch(self) -> Iterator[Batch[None]]:
        batch: Batch[None] = Batch(self.position(), None)
        yield batch  # the reaction returns once the sink acknowledged every event
        if batch.end <= batch.start:
            return
        try:
            self._store.process_recorder.insert_tracking(Tracking(self._name, batch.end))
        except IntegrityError:
            log.info("follower %s: position %s was already passed by another follower", self._name, batch.end)
