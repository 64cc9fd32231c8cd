"""Public integration events: every recorded event as a CloudEvents 1.0 JSON envelope.

This is what leaves rigd (the Kafka relay publishes it; `rigd audit` prints the same view),
so it is derived from the event classes alone, and grows with them without code here:

- `type` is `dev.rig.<context>.<EventName>.v<N>` from the class's stable `TOPIC`
  (`project.Created` -> context `project`, name `Created`) and its `class_version`;
- `data` holds the event's own fields (not the audit fields, which are envelope
  attributes), as JSON; a field whose name says it is secret (`sealed`, `secret`,
  `password`, `hash`, `code`, `token`, `private`), at any depth, or that its catalog entry
  withholds, is left out: a secret never leaves rigd, whatever a new event class holds;
- `subject` names the project, environment and capsule the event belongs to, from the
  keys its aggregate was created with (`Subjects`).

The documented schema (projections.event_catalog) is generated from these same rules."""

from __future__ import annotations

import dataclasses
import enum
import importlib
import json
import pkgutil
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, DomainEventProtocol

import rigd.domain
from rigd.domain.context import Actor

SPEC_VERSION = "1.0"
TYPE_PREFIX = "dev.rig"
CONTENT_TYPE = "application/json"
# Attributes every event has; they travel in the envelope, never in `data`.
ENVELOPE_FIELDS = frozenset({
    "originator_id", "originator_version", "timestamp", "originator_topic", "actor", "request_id", "causation_id",
})
# A field with one of these words in its name is never published (at any depth of `data`).
SECRET_WORDS = ("sealed", "secret", "password", "passwd", "hash", "code", "token", "private", "credential")
# Keys an aggregate is created with that place an event: they make its `subject`, in this order.
SUBJECT_KEYS = ("project_id", "environment_id", "capsule_id")

_SECRET_NAME = re.compile("|".join(SECRET_WORDS), re.IGNORECASE)


def is_secret_name(name: str) -> bool:
    """Whether a field of this name is withheld by default."""
    return bool(_SECRET_NAME.search(name))


def event_classes() -> list[type[Any]]:
    """Every event class of the domain that has a stable topic, sorted by topic. The domain's
    modules are imported first, so a new module's events are found without being listed."""
    for module in pkgutil.walk_packages(rigd.domain.__path__, "rigd.domain."):
        importlib.import_module(module.name)
    found: dict[str, type[Any]] = {}
    pending: list[type[Any]] = [Aggregate.Event]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            topic = getattr(sub, "TOPIC", None)
            if not sub.__module__.startswith("rigd.domain.") or not isinstance(topic, str) or "." not in topic:
                continue
            # eventsourcing derives an aggregate's own subclass of each declared event class:
            # the most derived class is the one events are instances of.
            if topic not in found or issubclass(sub, found[topic]):
                found[topic] = sub
    return [found[topic] for topic in sorted(found)]


def event_type(event_class: type[Any]) -> str:
    """The CloudEvents `type` of an event class: dev.rig.<context>.<EventName>.v<class_version>."""
    context, _, name = str(event_class.TOPIC).rpartition(".")
    return f"{TYPE_PREFIX}.{context}.{name}.v{int(getattr(event_class, 'class_version', 1))}"


def event_fields(event_class: type[Any]) -> list[str]:
    """The event's own fields (its dataclass fields less the envelope's), in declared order."""
    return [f.name for f in dataclasses.fields(event_class) if f.name not in ENVELOPE_FIELDS]


def withheld_fields(event_class: type[Any]) -> list[str]:
    """The event's own fields that are never published: secret by name, or by the class's
    `PUBLIC_WITHHOLDS` (a tuple of field names; for secrets whose name does not say so)."""
    explicit = set(getattr(event_class, "PUBLIC_WITHHOLDS", ()))
    return [name for name in event_fields(event_class) if name in explicit or is_secret_name(name)]


def public_fields(event_class: type[Any]) -> list[str]:
    withheld = set(withheld_fields(event_class))
    return [name for name in event_fields(event_class) if name not in withheld]


def public_value(value: Any) -> Any:
    """A JSON value for a field's value; mappings and dataclasses lose their secret-named keys."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return public_value(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): public_value(v) for k, v in value.items() if not is_secret_name(str(k))}
    if isinstance(value, bytes | bytearray):
        return None  # raw bytes are never published: they may be anything
    if isinstance(value, Iterable):
        return [public_value(item) for item in value]
    return str(value)


def public_data(event: DomainEventProtocol[UUID]) -> dict[str, Any]:
    return {name: public_value(getattr(event, name)) for name in public_fields(type(event))}


def actor_attributes(event: DomainEventProtocol[UUID]) -> dict[str, str]:
    """The actor as CloudEvents extension attributes (strings: the spec allows no objects)."""
    actor = getattr(event, "actor", None)
    if not isinstance(actor, Actor):
        return {"actor": ""}
    shown = {"actor": actor.identifier, "actorname": actor.printable_name}
    if actor.user_id:
        shown["actoruserid"] = actor.user_id
    if actor.service_account_id:
        shown["actorserviceaccountid"] = actor.service_account_id
    return shown


def event_id(aggregate_id: UUID, version: int) -> str:
    """The CloudEvents id: unique per (source, id), the same every time the event is sent."""
    return f"{aggregate_id}/{version}"


def keys_of(source: Any) -> dict[str, str]:
    """The subject keys an event or aggregate carries."""
    return {key: str(value) for key in SUBJECT_KEYS if isinstance(value := getattr(source, key, None), str) and value}


def subject_of(keys: Mapping[str, str]) -> str | None:
    """`project/<id>/environment/<id>/capsule/<id>`, with the parts that apply."""
    parts = [f"{key.removesuffix('_id')}/{keys[key]}" for key in SUBJECT_KEYS if keys.get(key)]
    return "/".join(parts) or None


class Subjects:
    """The subject keys of each aggregate: learned from its first event (which carries the
    keys it was created with; they never change), or, for an aggregate first met later in
    the log, from the aggregate itself (`load`)."""

    def __init__(self, load: Callable[[UUID], Any]) -> None:
        self._load = load
        self._known: dict[UUID, dict[str, str]] = {}

    def keys(self, event: DomainEventProtocol[UUID]) -> dict[str, str]:
        aggregate_id = event.originator_id
        known = self._known.get(aggregate_id)
        if known is None:
            source = event if event.originator_version == 1 else self._load_quietly(aggregate_id)
            known = self._known[aggregate_id] = keys_of(source)
        return {**known, **keys_of(event)}

    def _load_quietly(self, aggregate_id: UUID) -> Any:
        try:
            return self._load(aggregate_id)
        except Exception:  # an aggregate that cannot be loaded has no subject; the event still goes out
            return None


def envelope(
    event: Any, notification_id: int, source: str, keys: Mapping[str, str],
) -> dict[str, Any]:
    """The CloudEvents 1.0 structured-mode envelope of one recorded event."""
    cloud_event: dict[str, Any] = {
        "specversion": SPEC_VERSION,
        "id": event_id(event.originator_id, event.originator_version),
        "source": source,
        "type": event_type(type(event)),
        "time": event.timestamp.isoformat(),
        "datacontenttype": CONTENT_TYPE,
    }
    subject = subject_of(keys)
    if subject:
        cloud_event["subject"] = subject
    cloud_event.update({
        "aggregateid": str(event.originator_id),
        "aggregateversion": event.originator_version,
        "notificationid": notification_id,
        **actor_attributes(event),
        "requestid": str(getattr(event, "request_id", "")),
    })
    causation = str(getattr(event, "causation_id", ""))
    if causation:
        cloud_event["causationid"] = causation
    cloud_event["data"] = public_data(event)
    return cloud_event


def encode(cloud_event: Mapping[str, Any]) -> bytes:
    """The message value: compact JSON, keys in envelope order."""
    return json.dumps(cloud_event, separators=(",", ":"), ensure_ascii=False).encode()
