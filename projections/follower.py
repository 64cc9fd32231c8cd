"""Following the event store's notification log: the one component behind every role that
reacts to events (the projector now; the deployer and the Kafka relay later).

A follower reads the log in batches after its position, hands each batch to its
`Reaction`, and moves its position with what the reaction did, as its `PositionStore`
decides: in the read database's transaction (read models), in the event store's own
transaction (a process that records events in reaction), or after the sink acknowledged
(a relay). It wakes on new events without polling and follows only while it leads."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol

from rigd.domain.event_store import EventStore
from rigd.projections.wakeup import Wakeup

log = logging.getLogger(__name__)

BATCH_SIZE = 500
IDLE_WAIT = 5.0  # seconds; a safety net only: followers are woken by signals
RETRY_WAIT = 1.0  # seconds after a failed batch
STANDBY_WAIT = 0.5  # seconds between looks at the stop flag while another process leads

E = TypeVar("E")
E_contra = TypeVar("E_contra", contravariant=True)


@dataclass(frozen=True)
class Notified:
    """One event of the log and its notification id (its position)."""

    event: DomainEventProtocol[UUID]
    notification_id: int


@dataclass
class Batch(Generic[E]):
    """One unit of following. `start` is the position before it (the last notification id
    already handled); the reaction records what the batch causes in `effects`; the
    follower sets `end`, the position after it, before the batch closes."""

    start: int
    effects: E
    end: int = 0


class PositionStore(Protocol[E]):
    def position(self) -> int:
        """The last notification id handled (0 before the first), as last committed."""

    def batch(self) -> AbstractContextManager[Batch[E]]:
        """Opens a batch after the stored position. When the block ends without error, the
        batch's effects and `end` are recorded as this store promises; on error, neither."""


class Reaction(Protocol[E_contra]):
    def topics(self) -> list[str]:
        """The topics of the events to handle; empty for every event."""

    def handle(self, notified: Sequence[Notified], effects: E_contra) -> None:
        """Handles events in log order, recording what they cause in `effects`."""


class Leadership(Protocol):
    """Whether this process is the one that should follow (see adapters.leadership)."""

    def held(self) -> bool: ...

    def wait_held(self, timeout: float) -> bool: ...


class LeaseLost(Exception):
    """A batch's fence found that this process no longer leads: the batch was not recorded."""


class SharedLogEnd:
    """The end of the log as followers woken by one `wakeup` see it: the followers a save
    wakes together share one MAX query. An answer is reused only by a caller that saw no
    newer signal than the one observed before its query began (a signal comes after the
    commit it announces, so that query saw the commit), and for `max_age` seconds at most.
    When every signal since that query named its commit (this process's saves, and others'
    the database announced with their ids), the highest of those ends the log: no query.
    Likewise the topics of new events this process saved are known without reading them."""

    def __init__(self, store: EventStore, wakeup: Wakeup, max_age: float = 0.5, window: int = 64) -> None:
        self._store = store
        self._wakeup = wakeup
        self._max_age = max_age
        self._window = window
        self._lock = threading.Lock()  # one query at a time: the others wait for its answer
        self._generation = -1
        self._asked_at = 0.0
        self._end = 0
        self._topics: tuple[int, int, list[tuple[int, str]]] = (0, 0, [])  # (after, upto, (id, topic)s)

    def topics_between(self, after: int, upto: int) -> set[str] | None:
        """The topics of the events after `after` up to `upto` (all committed), read once
        for every follower that asks about the same new events; None past `window` events."""
        if upto - after > self._window:
            return None
        known_here = self._wakeup.topics_between(after, upto)
        if known_here is not None:
            return known_here
        with self._lock:
            low, high, known = self._topics
            if not (low <= after and upto <= high):
                notifications = self._store.recorder.select_notifications(
                    start=after + 1, limit=self._window, stop=upto)
                known = [(n.id, n.topic) for n in notifications]
                self._topics = (after, upto, known)
        return {topic for notification_id, topic in known if after < notification_id <= upto}

    def __call__(self) -> int:
        generation = self._wakeup.generation()
        with self._lock:
            now = time.monotonic()
            if now - self._asked_at < self._max_age:
                if self._generation >= generation:
                    return self._end
                known = self._wakeup.log_known(self._generation)
                if known:  # (every signal since the query named its commit)
                    self._end, self._generation = max(self._end, known), generation
                    return self._end
            self._end = self._store.max_notification_id()
            self._generation, self._asked_at = generation, now
            return self._end


class Follower(Generic[E]):
    def __init__(
        self,
        name: str,
        store: EventStore,
        positions: PositionStore[E],
        reaction: Reaction[E],
        wakeup: Wakeup,
        leadership: Leadership,
        on_progress: Callable[[int], Any] | None = None,
        batch_size: int = BATCH_SIZE,
        defer_unrelated: float = 0.0,
        log_end: SharedLogEnd | None = None,
        free_positions: bool = False,
    ) -> None:
        self.name = name
        self._store = store
        self._positions = positions
        self._reaction = reaction
        self._wakeup = wakeup
        self._leadership = leadership
        self._on_progress = on_progress
        self._batch_size = batch_size
        # Where the log ends (every id up to it committed); shared by a projector's followers
        # (SharedLogEnd), so one save costs one MAX query, not one per read model.
        self._shared = log_end
        self._log_end = log_end or store.max_notification_id
        # Following in the background, a batch whose events are none of the reaction's only
        # moves the position (a write transaction, a fence, a progress signal); with
        # `defer_unrelated` seconds, such batches wait that long at most, so a busy log does
        # not cost every read model a transaction per save. Read-your-writes does not wait for
        # them (Projector.has_events). catch_up() never defers.
        self._defer_unrelated = defer_unrelated
        # A position that costs nothing to move (kept in memory) moves past a batch the shared
        # look at the newest events finds none of the reaction's events in, without reading
        # the log: a session view wakes at every save, and most saves are none of its concern.
        self._free_positions = free_positions
        self._deferred_since: float | None = None
        self._unrelated_upto = 0  # the log after the position, up to here, holds none of the reaction's events
        self._passed = 0  # the stored position is known to be at least here (`passed`)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def position(self) -> int:
        return self._positions.position()

    def passed(self, position: int) -> None:
        """Another batch (one written in a save's transaction) has committed the position
        `position`: there is nothing to do up to there, not even a look at the position."""
        self._passed = max(self._passed, position)

    def catch_up(self) -> None:
        """Handles everything recorded so far, synchronously, leader or not (up to where the
        store says the log ends: saves not signalled yet included)."""
        while self.step(upto=self._store.max_notification_id()):
            pass

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._follow, name=f"follower-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wakeup.signal()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def step(self, deferring: bool = False, upto: int = 0) -> bool:
        """Handles one batch; returns False when there was nothing new (or, `deferring`,
        nothing for the reaction that must be recorded yet). `upto`: a notification id known
        committed (a save's own), to follow up to instead of asking where the log ends.

        Only the reaction's topics are fetched, yet the position still moves to the end
        of the log: ids up to `upto` are all committed (the store serialises inserts, as
        start-up checks), so no event it handles can appear below it later."""
        upto = upto or self._log_end()
        if upto <= self._passed:
            self._deferred_since = None  # the position is past whatever was deferred
            return False
        if deferring and self._known_unrelated(upto):
            return False  # known to hold nothing for the reaction: not even the position is read
        position = self._positions.position()
        if position >= upto:
            self._deferred_since = None  # another batch (apply_now's) passed what was deferred
            return False
        if deferring and self._may_defer(position, upto):
            return False
        with self._positions.batch() as batch:
            if batch.start >= upto:
                return False  # another follower got there first
            if self._free_positions and self._none_for_reaction(batch.start, upto):
                batch.end = upto
            else:
                notifications = self._store.recorder.select_notifications(
                    start=batch.start + 1, limit=self._batch_size, stop=upto, topics=self._reaction.topics()
                )
                mapper = self._store.mapper
                self._reaction.handle(
                    [Notified(mapper.to_domain_event(n), n.id) for n in notifications], batch.effects
                )
                batch.end = notifications[-1].id if len(notifications) == self._batch_size else upto
        self._deferred_since = None
        self._unrelated_upto = batch.end  # (nothing lies between the position and itself)
        if self._on_progress is not None:
            self._on_progress(batch.end)
        return True

    def _none_for_reaction(self, after: int, upto: int) -> bool:
        """Whether the shared look at the newest events finds none of the reaction's after
        `after`, up to `upto` (False when it cannot tell: too many, or no shared look)."""
        topics = self._reaction.topics()
        if not topics or self._shared is None:
            return False
        found = self._shared.topics_between(after, upto)
        return found is not None and found.isdisjoint(topics)

    def _known_unrelated(self, upto: int) -> bool:
        """Whether the log up to `upto` is known to hold nothing for the reaction after the
        position, without reading the position: the log up to `_unrelated_upto` was checked
        and the shared look at the newest events finds none of the reaction's topics."""
        if self._deferred_too_long():
            return False
        if upto <= self._unrelated_upto:
            return True
        topics = self._reaction.topics()
        if not self._unrelated_upto or not self._defer_unrelated or not topics or self._shared is None:
            return False
        found = self._shared.topics_between(self._unrelated_upto, upto)
        if found is None or not found.isdisjoint(topics):
            return False
        self._unrelated_upto = upto
        if self._deferred_since is None:
            self._deferred_since = time.monotonic()
        return True

    def _may_defer(self, position: int, upto: int) -> bool:
        """Whether the batch after `position` can wait: none of the reaction's events are in
        it, and no batch has waited for `defer_unrelated` seconds already."""
        topics = self._reaction.topics()
        if not self._defer_unrelated or not topics or self._deferred_too_long():
            return False
        checked = max(position, self._unrelated_upto)  # (a position never moves back)
        if upto > checked and self._store.recorder.select_notifications(
                start=checked + 1, limit=1, stop=upto, topics=topics):
            return False
        self._unrelated_upto = max(upto, self._unrelated_upto)
        if self._deferred_since is None:
            self._deferred_since = time.monotonic()
        return True

    def _deferred_too_long(self) -> bool:
        since = self._deferred_since
        return since is not None and time.monotonic() - since >= self._defer_unrelated

    def _idle_wait(self) -> float:
        """How long to sleep without a signal: until a deferred batch is due, at most IDLE_WAIT."""
        if self._deferred_since is None:
            return IDLE_WAIT
        due = self._deferred_since + self._defer_unrelated - time.monotonic()
        return min(IDLE_WAIT, max(0.0, due) + 0.001)

    def _follow(self) -> None:
        seen = self._wakeup.generation()
        failures = 0  # batches failed in a row: an outage is reported once, not once a second
        while not self._stopping.is_set():
            if not self._leadership.held():
                # On standby: another process follows; wait to take over (or to stop).
                self._leadership.wait_held(STANDBY_WAIT)
                continue
            try:
                progressed = self.step(deferring=True)
            except LeaseLost as lost:  # expected after a freeze or a cut-off: stand by
                log.warning("follower %s: batch rolled back: %s", self.name, lost)
                self._stopping.wait(RETRY_WAIT)
                continue
            except Exception:  # keep following; the failed batch is retried after a pause
                failures += 1
                if failures == 1:
                    log.warning("follower %s: batch failed; retrying every %.0f s", self.name, RETRY_WAIT,
                                exc_info=True)
                else:
                    log.debug("follower %s: batch failed again (%d in a row)", self.name, failures, exc_info=True)
                self._stopping.wait(RETRY_WAIT)
                continue
            if failures:
                log.info("follower %s: following again after %d failed batches", self.name, failures)
                failures = 0
            if not progressed:
                seen = self._wakeup.wait(seen, self._idle_wait())
