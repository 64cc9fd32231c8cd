"""A read model: tables of its own, fed by the events it handles, rebuildable from zero.

Its tables exist once per generation (projections.generations): a ReadModel instance is
bound to one with `at` (handlers write that generation's tables) or to the live one with
`live` (queries read it, within the snapshot they read in)."""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Self

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.utils import get_topic

from rigd.domain.errors import Unavailable
from rigd.projections import generations
from rigd.projections.database import Cursor
from rigd.projections.follower import Notified

Handler = Callable[[Any, Any, int, Cursor], None]


@dataclass(frozen=True)
class GenerationWrite:
    """What a batch of a read model writes into: its transaction, and the generation it holds."""

    cursor: Cursor
    generation: int


class ReadModelUnavailable(Unavailable):
    """No generation of this read model's schema version is live: not built yet, or
    replaced by a newer rigd's schema."""


class ReadModel(ABC):
    """Subclasses name themselves, version their schema, and register one handler per
    event class with `handles`. A changed schema gets a new `version`: a rigd of that
    version builds a generation of its own on start, beside the one older rigds serve.
    `tables` are the tables' base names; SQL names them through `table`."""

    name: ClassVar[str]
    version: ClassVar[int]
    tables: ClassVar[tuple[str, ...]]
    _handlers: ClassVar[dict[str, Handler]]
    generation: int | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = dict(getattr(cls, "_handlers", {}))  # a subclass (a new version) inherits them
        for attribute in vars(cls).values():
            for event_class in getattr(attribute, "_handles", ()):
                cls._handlers[get_topic(event_class)] = attribute

    def at(self, generation: int) -> Self:
        """This read model bound to one generation's tables."""
        bound = copy.copy(self)
        bound.generation = generation
        return bound

    def live(self, cursor: Cursor) -> Self:
        """This read model bound to its live generation, as seen in `cursor`'s snapshot."""
        found = generations.live(cursor, self.name, self.version)
        if found is None:
            raise ReadModelUnavailable(
                f"read model {self.name!r} has no live generation of schema version {self.version}"
                " (being built, or replaced by a newer rigd): try again shortly or upgrade this rigd"
            )
        return self.at(found[0])

    def table(self, base: str) -> str:
        """The name of table `base` in the bound generation."""
        if self.generation is None or base not in self.tables:
            raise LookupError(f"read model {self.name!r}: no table {base!r} in generation {self.generation}")
        return generations.table_name(base, self.generation)

    @abstractmethod
    def create_tables(self, cursor: Cursor) -> None:
        """Creates the bound generation's tables."""

    def topics(self) -> list[str]:
        """The topics of the events this read model handles."""
        return list(self._handlers)

    def apply(self, event: DomainEventProtocol[Any], notification_id: int, cursor: Cursor) -> None:
        handler = self._handlers.get(get_topic(type(event)))
        if handler is not None:
            handler(self, event, notification_id, cursor)

    def handle(self, notified: Sequence[Notified], effects: GenerationWrite) -> None:
        """A follower's batch, applied to the generation the batch holds, in its transaction."""
        bound = self.at(effects.generation)
        for item in notified:
            bound.apply(item.event, item.notification_id, effects.cursor)


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
