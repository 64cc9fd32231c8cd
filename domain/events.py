"""The audited base of every aggregate and event.

Events carry the actor, the request id and the causation id by construction: the base
aggregate adds them from the `acting` scope whenever an event is triggered, so an event
method never lists them and a new event class cannot forget them. Each aggregate and
event class declares a stable `TOPIC` (eventsourcing stores it instead of the module
path), so moving a module never breaks history; `tests/data/events/` pins each event's
stored form."""

from __future__ import annotations

from typing import Any, ClassVar

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Transcoding
from eventsourcing.utils import register_topic

from rigd.domain.context import SYSTEM, Actor, current_context


def _audit_fields() -> dict[str, Any]:
    ctx = current_context()
    return {"actor": ctx.actor, "request_id": ctx.request_id, "causation_id": ctx.causation_id}


def _upcast_v1_audit(state: dict[str, Any]) -> None:
    """Version 1 events (rigd 0.1) stored the actor as a plain mapping and had no causation
    id; the installation's first event had no audit fields at all (rigd itself recorded it)."""
    actor = state.get("actor")
    state["actor"] = Actor(**actor) if isinstance(actor, dict) else SYSTEM
    state.setdefault("request_id", "")
    state.setdefault("causation_id", "")


class AuditedCreated(Aggregate.Created):
    """The creation of an aggregate, by `actor` in request `request_id`."""

    class_version = 2
    actor: Actor
    request_id: str
    causation_id: str

    upcast_v1_v2 = staticmethod(_upcast_v1_audit)


class AuditedEvent(Aggregate.Event):
    """A change of an aggregate, by `actor` in request `request_id`."""

    class_version = 2
    actor: Actor
    request_id: str
    causation_id: str

    upcast_v1_v2 = staticmethod(_upcast_v1_audit)


class AuditedAggregate(Aggregate):
    """An aggregate whose every event is audited and has a stable topic.

    Name the creation event `Created`: eventsourcing otherwise defines a `Created` class of
    its own, which has no stable topic and is refused."""

    TOPIC: ClassVar[str]

    @classmethod
    def _create(cls, event_class: type[Any], *, id: Any = None, **kwargs: Any) -> Any:
        return super()._create(event_class, id=id, **kwargs, **_audit_fields())

    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None:
        super().trigger_event(event_class, **kwargs, **_audit_fields())


class ActorTranscoding(Transcoding):
    """Stores an Actor as a small JSON object."""

    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, str]:
        return {
            "identifier": obj.identifier,
            "printable_name": obj.printable_name,
            "user_id": obj.user_id,
            "service_account_id": obj.service_account_id,
        }

    def decode(self, data: dict[str, str]) -> Actor:
        return Actor(**data)


def register_former_topics(aggregate: type[Aggregate], module: str) -> None:
    """rigd 0.1 stored module paths as topics (e.g. ``domain.projects:Project.Created``);
    they keep resolving to the classes that now own stable topics."""
    register_topic(f"{module}:{aggregate.__qualname__}", aggregate)
    for name, value in vars(aggregate).items():
        if isinstance(value, type) and issubclass(value, Aggregate.Event) and name != "Event":
            register_topic(f"{module}:{value.__qualname__}", value)
