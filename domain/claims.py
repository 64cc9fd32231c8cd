"""Claims of names that can change (a user's email and username, a group's name).

A claim is a small aggregate whose id is derived from the name, so the event store itself
refuses a second claim of one name under concurrency. It is claimed and released in the
same save as the change of its owner, and never holds a name for a deleted owner."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.event_store import EventStore
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent
from rigd.domain.identity import stable_id


class NameClaim(AuditedAggregate):
    """Who holds one name of one kind ("email", "username", "phone", "group")."""

    TOPIC = "name-claim"

    class Created(AuditedCreated):
        TOPIC = "name-claim.Created"
        kind: str
        name: str
        owner_id: str

    class Released(AuditedEvent):
        TOPIC = "name-claim.Released"

    class Reclaimed(AuditedEvent):
        TOPIC = "name-claim.Reclaimed"
        owner_id: str

    @staticmethod
    def create_id(kind: str, name: str, **_: Any) -> UUID:
        return stable_id("name-claim", f"{kind}/{name}")

    @event(Created)
    def __init__(self, kind: str, name: str, owner_id: str) -> None:
        self.kind = kind
        self.name = name
        self.owner_id = owner_id

    @property
    def held(self) -> bool:
        return bool(self.owner_id)

    def release(self, owner_id: str) -> None:
        if self.owner_id == owner_id:
            self._released()

    def reclaim(self, owner_id: str) -> None:
        self._reclaimed(owner_id)

    @event(Released)
    def _released(self) -> None:
        self.owner_id = ""

    @event(Reclaimed)
    def _reclaimed(self, owner_id: str) -> None:
        self.owner_id = owner_id


def claim_key(kind: str, name: str) -> str:
    """The form a name is claimed in: emails and usernames are unique regardless of case."""
    return name.lower() if kind in ("email", "username") else name


def holder(store: EventStore, kind: str, name: str) -> str:
    """The owner id holding this name ("" when nobody does)."""
    claim = store.load(NameClaim.create_id(kind, claim_key(kind, name)), NameClaim)
    return claim.owner_id if claim is not None else ""


def claim(store: EventStore, kind: str, name: str, owner_id: str) -> NameClaim | None:
    """The claim of `name` for `owner_id`, to be saved with the owner's change; None if the
    owner holds it already. Raises `taken` (built by the caller) when another owner holds it."""
    key = claim_key(kind, name)
    existing = store.load(NameClaim.create_id(kind, key), NameClaim)
    if existing is None:
        return NameClaim(kind, key, owner_id)
    if existing.owner_id == owner_id:
        return None
    if existing.held:
        raise NameTaken(kind, name)
    existing.reclaim(owner_id)
    return existing


def release(store: EventStore, kind: str, name: str, owner_id: str) -> NameClaim | None:
    """The released claim, to be saved with the owner's change (None if it holds nothing)."""
    if not name:
        return None
    existing = store.load(NameClaim.create_id(kind, claim_key(kind, name)), NameClaim)
    if existing is None or existing.owner_id != owner_id:
        return None
    existing.release(owner_id)
    return existing


class NameTaken(Exception):
    """Another owner holds the name; the caller turns it into its own AlreadyExists."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(f"{kind} {name!r} is taken")
        self.kind = kind
        self.name = name
