"""Base classes for events that record who caused them and in which request."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate


class AuditedCreated(Aggregate.Created):
    """The creation of an aggregate, by `actor` (a model.Author record) in request `request_id`."""

    actor: dict[str, Any]
    request_id: str


class AuditedEvent(Aggregate.Event):
    """A change of an aggregate, by `actor` (a model.Author record) in request `request_id`."""

    actor: dict[str, Any]
    request_id: str
