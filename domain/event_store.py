"""The one event store every aggregate of rigd is recorded in (one notification log)."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent, project_aggregate
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, ProcessRecorder, Recording
from eventsourcing.utils import Environment, EnvType

from rigd.domain.context import CommandContext, acting, current_bounds
from rigd.domain.errors import Aborted
from rigd.domain.events import ActorTranscoding
from rigd.domain.hot_aggregates import HotAggregates

log = logging.getLogger(__name__)

A = TypeVar("A", bound=Aggregate)
# A decision whose save loses to a concurrent one is made again from fresh state, after a
# short random pause that grows with each attempt (up to RETRY_PAUSE_CAP): at least
# DECISION_ATTEMPTS times in all, and for as long as DECISION_PATIENCE_SECONDS after the first
# (within the call's deadline). The decisions made again in one process take turns (one at a
# time), so a burst of writers of one aggregate (thirty first Deploys to one environment) is
# decided one after the other instead of colliding again and again until most are ABORTED.
DECISION_ATTEMPTS = 5
DECISION_PATIENCE_SECONDS = 2.0
RETRY_PAUSE_SECONDS = 0.002
RETRY_PAUSE_CAP = 0.05
# The save keyword naming where a batch's position moves from; rigd's recorders
# (adapters.event_store_recorders) move a tracked position only from exactly there.
TRACKING_AFTER = "tracking_after"
# The save keyword handing the recorder a `SaveWrites`: what to write in the save's own
# transaction once its events have their notification ids (adapters.event_store_recorders).
WITHIN_SAVE = "within_save"
T = TypeVar("T")
# Writes derived from a save, in its own transaction: given that transaction (whatever the
# recorder hands over; the writer and the recorder agree on it) and the saved events with
# their notification ids, it writes, and returns what to do once the save has committed.
WithinSave = Callable[[Any, list[tuple[Any, int]]], Callable[[], None] | None]


class SaveWrites:
    """One save's derived writes, as its recorder runs them: `write` in the transaction,
    `discard` if the recorder rolled them back (the events still commit without them)."""

    def __init__(self, within: WithinSave, events: list[Any]) -> None:
        self._within = within
        self._events = events
        self.committed: Callable[[], None] | None = None  # what to do once the save committed

    def write(self, transaction: Any, notification_ids: list[int]) -> None:
        self.committed = None
        self.committed = self._within(transaction, list(zip(self._events, notification_ids, strict=True)))

    def discard(self) -> None:
        self.committed = None


class EventStore(Application[UUID]):
    """Records aggregates' events; tells a listener the notification id (and each event's id
    and topic) of each save.

    Built on the library's process recorder, so that a follower that reacts to events
    can record its reaction and its position in the log in one transaction (`Tracking`)."""

    name = "rigd"
    # Aggregates that declare a `snapshot_interval` are snapshotted every that many events
    # (see `_take_snapshots`), so loading them stays fast however long their history;
    # `construct_env` turns the library's snapshot store on.

    def __init__(
        self,
        env: Mapping[str, str],
        on_recorded: Callable[[int, list[tuple[int, str]]], None] | None = None,
    ) -> None:
        super().__init__(env=dict(env))
        self._on_recorded = on_recorded
        self._hot = HotAggregates()
        self._taking_turns = threading.RLock()  # decisions made again after a lost race (see decide)
        self._within_save: WithinSave | None = None
        self._concerns: Callable[[list[Any]], bool] = lambda events: False

    def write_within_saves(self, within: WithinSave, concerns: Callable[[list[Any]], bool]) -> None:
        """Has a save whose events `concerns` also write `within` in its transaction
        (read-model rows, so that a command's reader needs no second commit), where the
        recorder supports it. A save of no concern runs as if there were none."""
        self._within_save = within
        self._concerns = concerns

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """Only the settings rigd gives: the library would otherwise merge os.environ in,
        where a stray RIGD_PERSISTENCE_MODULE or RIGD_POSTGRES_ENABLE_DB_FUNCTIONS silently
        changes where and how events are stored."""
        return Environment(name, {**dict(env or {}), "IS_SNAPSHOTTING_ENABLED": "y"})

    def construct_recorder(self) -> ProcessRecorder:
        return self.factory.process_recorder()

    @property
    def process_recorder(self) -> ProcessRecorder:
        return cast(ProcessRecorder, self.recorder)  # construct_recorder made it

    def load(self, aggregate_id: UUID, kind: type[A]) -> A | None:
        """The aggregate with this id, or None if it was never recorded. A kind that is never
        snapshotted (no `snapshot_interval`) is read from its events alone: asking the
        snapshot table first would cost a query that never finds anything. A kind that is
        `kept_hot` is read from this process's last copy and the events recorded after it."""
        try:
            if getattr(kind, "kept_hot", False):
                aggregate: Aggregate | None = self._hot.load(aggregate_id, self._load_cold, self._events_after)
            elif getattr(kind, "snapshot_interval", 0):
                aggregate = self.repository.get(aggregate_id)
            else:
                aggregate = project_aggregate(None, self.events.get(originator_id=aggregate_id))
        except AggregateNotFoundError:
            return None
        return _checked(aggregate_id, kind, aggregate)

    def load_together(self, wanted: Sequence[tuple[UUID, type[Aggregate]]]) -> list[Aggregate | None]:
        """The aggregates, as `load` gives each, read in one query where it can: a kind kept
        hot, from this process's copy and the events after it, and a kind never snapshotted,
        from all its events; any other is loaded on its own. (A command that loads several
        aggregates then costs one round trip, not one each.)"""
        select = getattr(self.recorder, "select_events_after", None)
        starts: dict[UUID, Aggregate | None] = {}
        for aggregate_id, kind in wanted:
            if getattr(kind, "kept_hot", False):
                kept = self._hot.copy_of(aggregate_id)
                if kept is not None:
                    starts[aggregate_id] = kept
            elif not getattr(kind, "snapshot_interval", 0):
                starts[aggregate_id] = None
        if select is None or len(starts) < 2:
            return [self.load(aggregate_id, kind) for aggregate_id, kind in wanted]
        newer: dict[UUID, list[Any]] = {}
        for stored in select([(aggregate_id, start.version if start else 0) for aggregate_id, start in starts.items()]):
            newer.setdefault(stored.originator_id, []).append(self.mapper.to_domain_event(stored))
        loaded: list[Aggregate | None] = []
        for aggregate_id, kind in wanted:
            if aggregate_id not in starts:
                loaded.append(self.load(aggregate_id, kind))
                continue
            aggregate = starts[aggregate_id]
            if aggregate_id in newer:
                aggregate = project_aggregate(aggregate, newer[aggregate_id])
                if aggregate is not None and getattr(kind, "kept_hot", False):
                    self._hot.keep([aggregate])
            loaded.append(_checked(aggregate_id, kind, aggregate))
        return loaded

    def peek_kept(self, aggregate_id: UUID, read: Callable[[Any], T]) -> T | None:
        """What `read` finds in this process's copy of a kind kept hot (None without one): a
        guess at what to load together with it, never a basis for a decision."""
        return self._hot.peek(aggregate_id, read)

    def record(self, *aggregates: Aggregate) -> int:
        """Saves all pending events of the aggregates in one transaction.

        Returns the last notification id written (0 if there was nothing to write). A change
        whose call has ended (deadline passed, client gone) is refused (DeadlineExceeded,
        Cancelled) and nothing is written; the recorders check again inside the transaction."""
        current_bounds().check()
        recordings = self.save(*aggregates)
        self._hot.keep(aggregate for aggregate in aggregates if getattr(type(aggregate), "kept_hot", False))
        return recordings[-1].notification.id if recordings else 0

    def _load_cold(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        within = self._within_save
        if within is None or not self._concerns(processing_event.events):
            return super()._record(processing_event)
        writes = SaveWrites(within, processing_event.events)
        processing_event.saved_kwargs[WITHIN_SAVE] = writes
        recordings = super()._record(processing_event)
        if writes.committed is not None:
            writes.committed()
        return recordings

    def _events_after(self, aggregate_id: UUID, version: int) -> list[Any]:
        return list(self.events.get(originator_id=aggregate_id, gt=version))

    def record_processed(self, processing: ProcessingEvent[UUID], after: int) -> int:
        """Saves a reaction's events together with its `tracking` position, in one
        transaction, if the follower's stored position is still `after` (where its batch
        started); raises IntegrityError otherwise, or if an aggregate changed meanwhile.

        Returns the last notification id written (0 if the reaction wrote no event)."""
        processing.saved_kwargs[TRACKING_AFTER] = after
        recordings = self._record(processing)
        self._notify(recordings)
        return recordings[-1].notification.id if recordings else 0

    def tracked_position(self, follower: str) -> int:
        """The last notification id recorded with a reaction of `follower` (0 if none)."""
        return self.process_recorder.max_tracking_id(follower) or 0

    def decide(self, ctx: CommandContext, decision: Callable[[], T]) -> T:
        """Runs load-decide-save on behalf of `ctx`. When a concurrent save wins, the
        decision is made again from fresh state, so it refuses what the winner made
        impossible with the right error (ALREADY_EXISTS, NOT_FOUND, ...); a change that
        keeps losing (see DECISION_PATIENCE_SECONDS) is ABORTED, never refused as if it
        contradicted state it only raced with."""
        with acting(ctx):
            started = time.monotonic()
            try:
                return decision()
            except IntegrityError:
                pass
            attempt = 1
            while attempt < DECISION_ATTEMPTS or time.monotonic() - started < DECISION_PATIENCE_SECONDS:
                time.sleep(random.uniform(0, min(RETRY_PAUSE_CAP, RETRY_PAUSE_SECONDS * 2 ** min(attempt, 16))))
                waited = max(0.0, started + DECISION_PATIENCE_SECONDS - time.monotonic())
                if not self._taking_turns.acquire(timeout=waited):
                    break
                try:
                    return decision()
                except IntegrityError:
                    attempt += 1
                finally:
                    self._taking_turns.release()
        raise Aborted(f"concurrent changes to the same data won {attempt} times in a row; try again")

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Snapshots every aggregate of the save whose version reached a multiple of its
        class's `snapshot_interval`. The events are committed by now, so a snapshot that
        fails (another process took the same one, the store blinked) is only logged: the
        change must still be answered as saved, and the next interval takes one again."""
        saved: dict[UUID, int] = {}
        for event in processing_event.events:
            saved[event.originator_id] = saved.get(event.originator_id, 0) + 1
        for aggregate_id, aggregate in processing_event.aggregates.items():
            interval = getattr(type(aggregate), "snapshot_interval", 0)
            before = aggregate.version - saved.get(aggregate_id, 0)
            if not interval or aggregate.version // interval == before // interval:
                continue  # this save did not reach the next multiple of the interval
            try:
                self._snapshot(aggregate)
            except IntegrityError:
                pass  # another process took this snapshot first
            except Exception:  # see the docstring
                log.warning("could not snapshot %s at version %s", aggregate.id, aggregate.version, exc_info=True)

    def _snapshot(self, aggregate: Any) -> None:
        """Puts a snapshot of the aggregate as just saved (its events are committed, so this is
        its recorded state: no need to load it again, as the library's take_snapshot would)."""
        snapshot_class = getattr(type(aggregate), "Snapshot", type(self).snapshot_class)
        if self.snapshots is None or snapshot_class is None:  # (snapshot_interval turns both on)
            raise ValueError(f"{type(aggregate).__name__} declares a snapshot_interval, but nothing snapshots it")
        self.snapshots.put([snapshot_class.take(aggregate)])

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(ActorTranscoding())

    def max_notification_id(self) -> int:
        return self.recorder.max_notification_id() or 0

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        if recordings and self._on_recorded is not None:
            self._on_recorded(recordings[-1].notification.id,
                              [(recording.notification.id, recording.notification.topic) for recording in recordings])


def _checked(aggregate_id: UUID, kind: type[A], aggregate: Aggregate | None) -> A | None:
    if aggregate is None:
        return None
    if not isinstance(aggregate, kind):
        raise TypeError(f"{aggregate_id} is a {type(aggregate).__name__}, not a {kind.__name__}")
    return aggregate
