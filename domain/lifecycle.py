"""The lifecycle shared by aggregates whose id their creator chose (projects, environments):
deleting keeps the history, and creating the same id again revives the aggregate."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from rigd.domain.errors import AlreadyExists, NotFound
from rigd.domain.event_store import EventStore
from rigd.domain.events import AuditedAggregate
from rigd.domain.naming import require

R = TypeVar("R", bound="Revivable")


class Revivable(AuditedAggregate):
    """Subclasses name their key field and their two refusals."""

    snapshot_interval: ClassVar[int] = 50  # long-lived and renamed, toggled, revived: see EventStore
    key_field: ClassVar[str]
    not_found: ClassVar[type[NotFound]]
    already_exists: ClassVar[type[AlreadyExists]]
    deleted: bool

    @property
    def key(self) -> str:
        return str(getattr(self, self.key_field))

    def require_live(self) -> None:
        if self.deleted:
            raise self.not_found(self.key)

    def require_deleted(self) -> None:
        """Before a revival: only a deleted aggregate can be created again."""
        if not self.deleted:
            raise self.already_exists(self.key)


def load_live(store: EventStore, kind: type[R], key: str) -> R:
    """The aggregate with this key, refused as not found when it never existed or is deleted."""
    require(key, kind.key_field)
    aggregate = store.load(kind.create_id(key), kind)
    if aggregate is None:
        raise kind.not_found(key)
    aggregate.require_live()
    return aggregate


def load_any(store: EventStore, kind: type[R], key: str) -> R | None:
    """The aggregate with this key, live or deleted; None when it never existed."""
    return store.load(kind.create_id(key), kind)
