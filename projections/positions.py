"""Where a follower keeps its position, and what commits with it: the three kinds.

- `ReadDatabasePositions`: read models. A batch's rows and its position commit in one
  read-database transaction that holds the generation's position row: exactly once, even
  with two projectors of one read model, or a rebuild switching to a new generation.
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
from rigd.projections import generations
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.follower import Batch
from rigd.projections.read_model import GenerationWrite, ReadModel

log = logging.getLogger(__name__)


Fence = Callable[[Cursor], None]  # raises (follower.LeaseLost) when this process may no longer follow


class ReadDatabasePositions:
    """The position row of one generation of a read model (projections.generations): the
    live one of its schema version (a serving projector, which follows a switch to a new
    generation at its next batch), or, given `generation`, one being built."""

    def __init__(
        self,
        database: ReadDatabase,
        model: ReadModel,
        generation: int | None = None,
        fence: Fence | None = None,
    ) -> None:
        self._database = database
        self._model = model
        self._generation = generation
        # With a fence (a leader's lease check), a batch moves the position only if the fence,
        # run in the batch's transaction right before the position moves, lets it; otherwise
        # the whole batch rolls back. Only there: the fence locks the one lease row until the
        # batch commits, so run earlier it would make every read model's batches queue on it
        # (and a leader frozen mid-batch would hold it from the standby).
        self._fence = fence
        self._orphaned = False

    def position(self) -> int:
        with self._database.snapshot() as cursor:
            if self._generation is not None:
                return generations.position(cursor, self._model.name, self._generation)
            found = generations.live(cursor, self._model.name, self._model.version)
            return found[1] if found else NOTHING_TO_FOLLOW

    @contextmanager
    def batch(self) -> Iterator[Batch[GenerationWrite]]:
        with self._database.transaction() as cursor:
            # Lock the position row first: a second projector of this generation, or a switch
            # to a new one, waits here; then it starts from where this one ended.
            locked = self._lock(cursor)
            if locked is None:
                yield Batch(NOTHING_TO_FOLLOW, GenerationWrite(cursor, 0))
                return
            generation, start = locked
            self._database.derived_only(cursor)
            batch = Batch(start, GenerationWrite(cursor, generation))
            yield batch
            if batch.end > batch.start:
                if self._fence is not None:
                    self._fence(cursor)  # the lease may have run out while the batch was applied
                generations.move(cursor, self._model.name, generation, batch.end)
                self._database.announce_progress(cursor, self._model.name)

    def _lock(self, cursor: Cursor) -> tuple[int, int] | None:
        name = self._model.name
        if self._generation is not None:
            position = generations.lock_building(cursor, name, self._generation)
            if position is None:
                raise GenerationAbandoned(
                    f"read model {name!r}: generation {self._generation} is no longer being built")
            return self._generation, position
        locked = generations.lock_live(cursor, name, self._model.version)
        if locked is None and not self._orphaned:
            self._orphaned = True
            log.warning("read model %s: no live generation of schema version %s to follow (replaced by a newer rigd)",
                        name, self._model.version)
        return locked


# What a follower of a version with no live generation is told its position is: past any
# event, so it has nothing to do (until a generation of its version goes live again).
NOTHING_TO_FOLLOW = 2**63 - 1


class GenerationAbandoned(Exception):
    """A generation being built was given up (a later build of the read model took over)."""


class _TrackingRow:
    """The follower's tracking row in the event store (eventsourcing's `Tracking`). Until it
    has one, its position is `starts_at` (a row another follower left, that this one takes
    over from); its first batch writes its own row."""

    def __init__(self, store: EventStore, name: str, starts_at: Callable[[], int] = lambda: 0) -> None:
        self._store = store
        self._name = name
        self._starts_at = starts_at

    def position(self) -> int:
        return self._store.tracked_position(self._name) or self._starts_at()


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
