"""Aggregates kept hot by the event store (capsules, environments): a load is the kept copy
brought up to date from the store, never a copy the caller can spoil or an outdated one."""

from __future__ import annotations

from rigd.domain.capsules import Capsule
from rigd.domain.context import CommandContext, acting
from rigd.domain.event_store import EventStore
from rigd.domain.hot_aggregates import HotAggregates


def test_a_kept_capsule_is_brought_up_to_date_and_callers_get_their_own_copy() -> None:
    store = EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    with acting(CommandContext()):
        capsule = Capsule("shop", "web")
        store.record(capsule)
        elsewhere = store.repository.get(capsule.id)  # as another process would load and save it
        elsewhere.start_rollout("prod")
        store.save(elsewhere)  # not through `record`: this process's copy does not know of it
        loaded = store.load(capsule.id, Capsule)
        assert loaded is not None and loaded.current == {"prod": 1} and loaded.version == 2
        loaded.start_rollout("staging")  # decided, never saved
        again = store.load(capsule.id, Capsule)
        assert again is not None and again.current == {"prod": 1} and again is not loaded


def test_an_aggregate_with_unsaved_events_is_not_kept_and_the_least_recently_used_goes() -> None:
    kept = HotAggregates(max_kept=2)
    with acting(CommandContext()):
        fresh = Capsule("shop", "api")  # its creation is still pending
        kept.keep([fresh])
        assert kept.load(fresh.id, lambda _: None, lambda _id, _version: []) is None
        fresh.collect_events()
        kept.keep([fresh])
        older = kept.load(fresh.id, lambda _: None, lambda _id, _version: [])
        assert older is not None and older.version == 1
        for name in ("a-1", "a-2"):  # beyond max_kept: the least recently used goes
            other = Capsule("shop", name)
            other.collect_events()
            kept.keep([other])
        assert kept.load(fresh.id, lambda _: None, lambda _id, _version: []) is None
