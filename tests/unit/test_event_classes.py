"""Every event class is audited, versioned and has a stable topic; golden fixtures pin the
stored form of each, so a refactor cannot silently change what history holds.

A changed fixture means stored history would change: bump the class's `class_version`, add
an `upcast_vN_vM`, and record the new fixture with RIGD_WRITE_GOLDEN=1 (old ones stay, and
must keep decoding)."""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import pkgutil
import typing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

import rigd.domain
from rigd.domain.context import Actor
from rigd.domain.event_store import EventStore
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "events"
WRITE = os.environ.get("RIGD_WRITE_GOLDEN") == "1"
SAMPLE_ID = UUID("00000000-0000-4000-8000-000000000001")
SAMPLE_TIME = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
SAMPLE_ACTOR = Actor("ada@example.com", "Ada", user_id="u-1", service_account_id="")


def _aggregates() -> list[type[Aggregate]]:
    for module in pkgutil.walk_packages(rigd.domain.__path__, "rigd.domain."):
        importlib.import_module(module.name)
    found: list[type[Aggregate]] = []
    pending: list[type[Aggregate]] = [Aggregate]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("rigd.domain.") and "TOPIC" in sub.__dict__:
                found.append(sub)
    return sorted(found, key=lambda c: c.TOPIC)


def _domain_aggregate_classes() -> list[type[Aggregate]]:
    """Every concrete aggregate class of the domain, with or without a topic."""
    found = []
    pending: list[type[Aggregate]] = [Aggregate]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            concrete = any(isinstance(v, staticmethod) for k, v in vars(sub).items() if k == "create_id")
            if sub.__module__.startswith("rigd.domain.") and concrete:
                found.append(sub)
    return found


def _events() -> list[tuple[type[Aggregate], type[Any]]]:
    return [
        (aggregate, value)
        for aggregate in _aggregates()
        for name, value in vars(aggregate).items()
        if isinstance(value, type) and issubclass(value, Aggregate.Event) and name != "Event"
    ]


EVENTS = _events()


def test_the_domain_has_events_to_check() -> None:
    assert len(EVENTS) >= 12


def test_every_aggregate_is_audited_and_has_a_stable_topic() -> None:
    aggregates = _domain_aggregate_classes()
    assert aggregates
    for aggregate in aggregates:
        assert issubclass(aggregate, AuditedAggregate), aggregate
        assert "TOPIC" in aggregate.__dict__, f"{aggregate.__qualname__} declares no TOPIC"


@pytest.mark.parametrize(("aggregate", "event_class"), EVENTS, ids=lambda c: getattr(c, "TOPIC", ""))
def test_every_event_is_audited_versioned_and_named_stably(aggregate: type, event_class: type) -> None:
    assert issubclass(event_class, (AuditedEvent, AuditedCreated))
    assert isinstance(event_class.class_version, int) and event_class.class_version >= 1
    # eventsourcing subclasses the declared class for @event methods; the topic is the declared one's
    assert f"{aggregate.TOPIC}.{event_class.__name__}" == event_class.TOPIC
    hints = typing.get_type_hints(event_class)
    assert (hints["actor"], hints["request_id"], hints["causation_id"]) == (Actor, str, str)


def test_topics_are_unique() -> None:
    topics = [event_class.TOPIC for _, event_class in EVENTS]
    assert len(topics) == len(set(topics))


def _sample(aggregate: type, event_class: type) -> Any:
    fixed = {"originator_id": SAMPLE_ID, "originator_version": 1, "timestamp": SAMPLE_TIME,
             "originator_topic": aggregate.TOPIC, "actor": SAMPLE_ACTOR}
    hints = typing.get_type_hints(event_class)
    values = {
        field.name: fixed[field.name] if field.name in fixed else _value_of(hints[field.name], field.name)
        for field in dataclasses.fields(event_class)
    }
    return event_class(**values)


def _value_of(kind: Any, name: str) -> Any:
    samples: dict[Any, Any] = {str: f"<{name}>", int: 7, bool: True, float: 0.5, UUID: SAMPLE_ID,
                               datetime: SAMPLE_TIME, Actor: SAMPLE_ACTOR}
    if kind in samples:
        return samples[kind]
    origin = typing.get_origin(kind)
    if origin in (list, tuple):
        return origin()
    if origin is dict:
        return {}
    raise AssertionError(f"no sample value for {name}: {kind}; teach _value_of")


@pytest.fixture(scope="module")
def store() -> EventStore:
    return EventStore({"PERSISTENCE_MODULE": "eventsourcing.popo"})


@pytest.mark.parametrize(("aggregate", "event_class"), EVENTS, ids=lambda c: getattr(c, "TOPIC", ""))
def test_stored_form_matches_its_golden_fixture(store: EventStore, aggregate: type, event_class: type) -> None:
    event = _sample(aggregate, event_class)
    stored = store.mapper.to_stored_event(event)
    path = GOLDEN / f"{event_class.TOPIC}.v{event_class.class_version}.json"
    recorded = {"topic": stored.topic, "state": json.loads(stored.state)}
    if WRITE and not path.exists():
        path.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")
    assert path.exists(), f"no golden fixture {path.name}: record it with RIGD_WRITE_GOLDEN=1"
    assert recorded == json.loads(path.read_text()), (
        f"the stored form of {event_class.TOPIC} changed: bump class_version and add an upcaster")
    assert store.mapper.to_domain_event(stored) == event


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("**/*.json")), ids=lambda p: p.name)
def test_every_recorded_form_still_decodes(store: EventStore, path: Path) -> None:
    """Older versions (and rigd 0.1's module-path topics, under legacy/) decode into today's classes."""
    recorded = json.loads(path.read_text())
    stored = StoredEvent(SAMPLE_ID, 1, recorded["topic"], json.dumps(recorded["state"]).encode())
    event = store.mapper.to_domain_event(stored)
    assert isinstance(event.actor, Actor)
    assert isinstance(event.request_id, str) and isinstance(event.causation_id, str)
    assert type(event).TOPIC.split(".")[-1] == recorded["topic"].split(".")[-1] or "legacy" in path.parts


def _legacy(store: EventStore, name: str) -> Any:
    recorded = json.loads((GOLDEN / "legacy" / name).read_text())
    return store.mapper.to_domain_event(
        StoredEvent(SAMPLE_ID, 1, recorded["topic"], json.dumps(recorded["state"]).encode()))


def test_history_written_by_rigd_0_1_replays_into_todays_aggregates(store: EventStore) -> None:
    created = _legacy(store, "domain.projects-Project.Created.json")
    assert type(created).TOPIC == "project.Created"
    assert created.actor == Actor("ada@example.com", "Ada", user_id="u-1")
    assert (created.request_id, created.causation_id) == ("req-0.1", "")
    project = created.mutate(None)  # resolves the 0.1 aggregate topic too
    assert (type(project).TOPIC, project.name) == ("project", "Shop")

    initialized = _legacy(store, "domain.installation-Installation.Initialized.json")
    assert type(initialized).TOPIC == "installation.Created"
    assert initialized.actor.identifier == "rigd"  # 0.1 recorded no actor: rigd itself did it
