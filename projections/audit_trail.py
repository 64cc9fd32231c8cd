"""The audit trail: the change history from the event store, in the public events' form
(who, what, when, in which request; never a secret), filtered, and any aggregate as it
was at a given time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from rigd.domain.event_store import EventStore
from rigd.domain.identity import stable_id
from rigd.projections.integration_events import Subjects, envelope, is_secret_name, public_value

PAGE = 500


@dataclass(frozen=True)
class AuditFilter:
    """Every criterion given must hold. `event_type` matches the CloudEvents type with or
    without its version (`dev.rig.project.Renamed`), or the topic (`project.Renamed`)."""

    aggregate_id: UUID | None = None
    actor: str | None = None
    project: str | None = None
    environment: str | None = None
    capsule: str | None = None
    event_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def admits(self, cloud_event: dict[str, Any], keys: dict[str, str], topic: str, when: datetime) -> bool:
        kind = str(cloud_event["type"])
        actors = {cloud_event.get(name) for name in ("actor", "actorname", "actoruserid", "actorserviceaccountid")}
        return all((
            self.aggregate_id is None or cloud_event["aggregateid"] == str(self.aggregate_id),
            self.actor is None or self.actor in actors,
            self.project is None or keys.get("project_id") == self.project,
            self.environment is None or keys.get("environment_id") == self.environment,
            self.capsule is None or keys.get("capsule_id") == self.capsule,
            self.event_type is None or self.event_type in (kind, kind.rpartition(".v")[0], topic),
            self.since is None or when >= self.since,
            self.until is None or when <= self.until,
        ))


def aggregate_id(text: str) -> UUID:
    """An aggregate named by its id, or by `KIND/KEY` for aggregates keyed by a name
    (`project/shop`, `environment/prod`)."""
    try:
        return UUID(text)
    except ValueError:
        kind, slash, key = text.partition("/")
        if not slash or not kind or not key:
            raise ValueError(f"{text!r} is neither an aggregate id nor KIND/KEY (e.g. project/shop)") from None
        return stable_id(kind, key)


def history(store: EventStore, criteria: AuditFilter, source: str = "") -> Iterator[dict[str, Any]]:
    """The public form of every recorded event that meets `criteria`, in log order."""
    subjects = Subjects(store.repository.get)
    position = 0
    while True:
        notifications = store.recorder.select_notifications(start=position + 1, limit=PAGE)
        if not notifications:
            return
        for notification in notifications:
            event: Any = store.mapper.to_domain_event(notification)
            keys = subjects.keys(event)  # every event, so that first events teach their keys
            cloud_event = envelope(event, notification.id, source, keys)
            if criteria.admits(cloud_event, keys, str(type(event).TOPIC), event.timestamp):
                yield cloud_event
        position = notifications[-1].id


class NeverExisted(LookupError):
    """The aggregate had no events at (or before) the given time."""


def as_of(store: EventStore, aggregate: UUID, when: datetime) -> dict[str, Any]:
    """The aggregate's state after its last event recorded at or before `when` (its
    secret-named attributes left out)."""
    version = 0
    events: Any = store.events.get(aggregate)
    for event in events:
        if event.timestamp > when:
            break
        version = event.originator_version
    if not version:
        raise NeverExisted(f"aggregate {aggregate} did not exist at {when.isoformat()}")
    state: Any = store.repository.get(aggregate, version=version)
    attributes = {name: value for name, value in vars(state).items()
                  if not name.startswith("_") and not is_secret_name(name)}
    return {
        "id": str(state.id), "version": state.version, "created_on": state.created_on.isoformat(),
        "modified_on": state.modified_on.isoformat(), "state": public_value(attributes),
    }
