"""A read model: tables of its own, fed by the events it handles, rebuildable from zero."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.utils import get_topic

from rigd.projections.database import Cursor
from rigd.projections.follower import Notified

Handler = Callable[[Any, Any, int, Cursor], None]


class ReadModel(ABC):
    """Subclasses name themselves, version their schema, and register one handler per
    event class with `handles`. A changed schema gets a new `version`: the projector
    then rebuilds the read model from history on start."""

    name: ClassVar[str]
    version: ClassVar[int]
    tables: ClassVar[tuple[str, ...]]
    _handlers: ClassVar[dict[str, Handler]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = {}
        for attribute in vars(cls).values():
            for event_class in getattr(attribute, "_handles", ()):
                cls._handlers[get_topic(event_class)] = attribute

    @abstractmethod
    def create_tables(self, cursor: Cursor) -> None: ...

    def drop_tables(self, cursor: Cursor) -> None:
        for table in self.tables:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def topics(self) -> list[str]:
        """The topics of the events this read model handles."""
        return list(self._handlers)

    def apply(self, event: DomainEventProtocol[Any], notification_id: int, cursor: Cursor) -> None:
        handler = self._handlers.get(get_topic(type(event)))
        if handler is not None:
            handler(self, event, notification_id, cursor)

    def handle(self, notified: Sequence[Notified], effects: Cursor) -> None:
        """A follower's batch, applied in the batch's read-database transaction."""
        for item in notified:
            self.apply(item.event, item.notification_id, effects)


def handles(*event_classes: type) -> Callable[[Handler], Handler]:
    """Marks a read model method as the handler of these event classes."""

    def mark(function: Handler) -> Handler:
        function._handles = event_classes  # type: ignore[attr-defined]
        return function

    return mark


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(moment: datetime) -> int:
    """A timestamp as integer microseconds since the epoch (portable, sortable)."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def from_micros(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)
