"""The one event store every aggregate of rigd is recorded in (one notification log)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, ProcessRecorder, Recording
from eventsourcing.utils import Environment, EnvType

from rigd.domain.context import CommandContext, acting, current_bounds
from rigd.domain.errors import Aborted
from rigd.domain.events import ActorTranscoding

A = TypeVar("A", bound=Aggregate)
# The save keyword naming where a batch's position moves from; rigd's recorders
# (adapters.event_store_recorders) move a tracked position only from exactly there.
TRACKING_AFTER = "tracking_after"
T = TypeVar("T")


class EventStore(Application[UUID]):
    """Records aggregates' events; tells a listener the notification id of each save.

    Built on the library's process recorder, so that a follower that reacts to events
    can record its reaction and its position in the log in one transaction (`Tracking`)."""

    name = "rigd"

    def __init__(
        self,
        env: Mapping[str, str],
        on_recorded: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(env=dict(env))
        self._on_recorded = on_recorded

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """Only the settings rigd gives: the library would otherwise merge os.environ in,
        where a stray RIGD_PERSISTENCE_MODULE or RIGD_POSTGRES_ENABLE_DB_FUNCTIONS silently
        changes where and how events are stored."""
        return Environment(name, dict(env or {}))

    def construct_recorder(self) -> ProcessRecorder:
        return self.factory.process_recorder()

    @property
    def process_recorder(self) -> ProcessRecorder:
        return cast(ProcessRecorder, self.recorder)  # construct_recorder made it

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

        Returns the last notification id written (0 if there was nothing to write). A change
        whose call has ended (deadline passed, client gone) is refused (DeadlineExceeded,
        Cancelled) and nothing is written; the recorders check again inside the transaction."""
        current_bounds().check()
        recordings = self.save(*aggregates)
        return recordings[-1].notification.id if recordings else 0

    def record_processed(self, processing: ProcessingEvent[UUID], after: int) -> int:
        """Saves a reaction's events together with its `tracking` position, in one
        transaction, if the follower's stored position is still `after` (where its batch
        started); raises IntegrityError otherwise, or if an aggregate changed meanwhile.

        Returns the last notification id written (0 if the reaction wrote no event)."""
        processing.saved_kwargs[TRACKING_AFTER] = after
        recordings = self._record(processing)
        self._notify(recordings)
        return recordings[-1].notification.id if recordings else 0

    def tracked_position(self, follower: str) -> int:
        """The last notification id recorded with a reaction of `follower` (0 if none)."""
        return self.process_recorder.max_tracking_id(follower) or 0

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
