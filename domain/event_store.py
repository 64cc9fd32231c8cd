"""The one event store every aggregate of rigd is recorded in (one notification log)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording

from rigd.domain.context import CommandContext, acting
from rigd.domain.errors import Aborted
from rigd.domain.events import ActorTranscoding

A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")


class EventStore(Application[UUID]):
    """Records aggregates' events; tells a listener the notification id of each save."""

    name = "rigd"

    def __init__(
        self,
        env: Mapping[str, str],
        on_recorded: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(env=dict(env))
        self._on_recorded = on_recorded

    def load(self, aggregate_id: UUID, kind: type[A]) -> A | None:
        """The aggregate with this id, or None if it was never recorded."""
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(aggregate, kind):
            raise TypeError(f"{aggregate_id} is a {type(aggregate).__name__}, not a {kind.__name__}")
        return aggregate

    def record(self, *aggregates: Aggregate) -> int:
        """Saves all pending events of the aggregates in one transaction.

        Returns the last notification id written (0 if there was nothing to write)."""
        recordings = self.save(*aggregates)
        return recordings[-1].notification.id if recordings else 0

    def decide(
        self, ctx: CommandContext, decision: Callable[[], T], conflict: Callable[[], Exception] | None = None
    ) -> T:
        """Runs load-decide-save on behalf of `ctx` once, and once more from fresh state if a
        concurrent save won; a second conflict is refused (ABORTED unless `conflict` says otherwise)."""
        with acting(ctx):
            try:
                return decision()
            except IntegrityError:
                pass
            try:
                return decision()
            except IntegrityError:
                raise (conflict() if conflict else Aborted("a concurrent change won; try again")) from None

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(ActorTranscoding())

    def max_notification_id(self) -> int:
        return self.recorder.max_notification_id() or 0

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        if recordings and self._on_recorded is not None:
            self._on_recorded(recordings[-1].notification.id)

