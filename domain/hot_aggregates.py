"""This process's last copy of aggregates that every request of a kind loads (the capsule a
Deploy changes, the environment it deploys to): loading one costs a query for the events
recorded after the copy, instead of a snapshot query and an events query.

A copy is only a shortcut: it is brought up to date from the store at every load (another
process may have recorded since), it is kept only after a save that committed, and callers
always get a copy of their own to change. Copies are kept pickled: unpickling one is several
times cheaper than a deep copy (an environment lists every capsule deployed there)."""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import project_aggregate
from eventsourcing.domain import Aggregate

T = TypeVar("T")
MAX_KEPT = 4096  # aggregates; each is small (that is what makes it worth keeping)


class _Kept:
    """One kept aggregate: pickled, and unpickled once for peeking (never handed out)."""

    __slots__ = ("peeked", "pickled", "version")

    def __init__(self, aggregate: Aggregate) -> None:
        self.pickled = pickle.dumps(aggregate, pickle.HIGHEST_PROTOCOL)
        self.peeked: Aggregate = pickle.loads(self.pickled)
        self.version = aggregate.version


class HotAggregates:
    def __init__(self, max_kept: int = MAX_KEPT) -> None:
        self._kept: OrderedDict[UUID, _Kept] = OrderedDict()
        self._lock = threading.Lock()
        self._max_kept = max_kept

    def copy_of(self, aggregate_id: UUID) -> Aggregate | None:
        """A copy of the kept aggregate (as recorded when it was kept), or None."""
        with self._lock:
            kept = self._kept.get(aggregate_id)
            if kept is None:
                return None
            self._kept.move_to_end(aggregate_id)
            pickled = kept.pickled
        copied: Aggregate = pickle.loads(pickled)
        return copied

    def peek(self, aggregate_id: UUID, read: Callable[[Aggregate], T]) -> T | None:
        """What `read` finds in the kept aggregate (not copied: `read` must not change it)."""
        with self._lock:
            kept = self._kept.get(aggregate_id)
            return None if kept is None else read(kept.peeked)

    def load(self, aggregate_id: UUID, cold: Callable[[UUID], Aggregate | None],
             events_after: Callable[[UUID, int], list[Any]]) -> Aggregate | None:
        """The aggregate as recorded now: the kept copy and the events after it, else `cold`."""
        kept = self.copy_of(aggregate_id)
        if kept is None:
            aggregate = cold(aggregate_id)
        else:
            newer = events_after(aggregate_id, kept.version)
            if not newer:
                return kept
            aggregate = project_aggregate(kept, newer)
        if aggregate is not None:
            self.keep([aggregate])
        return aggregate

    def keep(self, aggregates: Iterable[Aggregate]) -> None:
        """Keeps copies of aggregates as the store has them (loaded, or just saved)."""
        for aggregate in aggregates:
            if aggregate.pending_events:
                continue  # not as recorded
            kept = _Kept(aggregate)
            with self._lock:
                current = self._kept.get(aggregate.id)
                if current is None or current.version <= kept.version:
                    self._kept[aggregate.id] = kept
                    self._kept.move_to_end(aggregate.id)
                while len(self._kept) > self._max_kept:
                    self._kept.popitem(last=False)
