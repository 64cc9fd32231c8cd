"""The relay: follows the notification log and publishes every event, as its public
integration event (projections.integration_events), to a sink (Kafka, adapters.kafka_relay).

Its position is stored only after the sink acknowledged a whole batch
(positions.AcknowledgedPositions): a crash between the two sends that batch again, with
the same ids, and nothing is ever skipped. A batch the sink refuses (broker down) is
retried by the follower after a pause, from the same position; meanwhile the relay
reports itself unhealthy. The message key is the aggregate id, so the events of one
aggregate stay in order in one partition."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from rigd.domain.event_store import EventStore
from rigd.projections.follower import Follower, Leadership, Notified
from rigd.projections.integration_events import Subjects, encode, envelope
from rigd.projections.positions import AcknowledgedPositions
from rigd.projections.wakeup import Wakeup

log = logging.getLogger(__name__)

PROBE_INTERVAL = 1.0  # seconds between looks at the sink while there is nothing to publish


@dataclass(frozen=True)
class Message:
    key: bytes
    value: bytes


class Sink(Protocol):
    def publish(self, messages: Sequence[Message]) -> None:
        """Returns once every message is acknowledged, in order per key; raises otherwise."""

    def reachable(self) -> bool:
        """Whether the sink answers now (asked while there is nothing to publish)."""


class RelayReaction:
    """Publishes each batch and returns only once the sink acknowledged all of it."""

    def __init__(self, sink: Sink, source: str, subjects: Subjects) -> None:
        self._sink = sink
        self._source = source
        self._subjects = subjects
        self.failing = False  # the last publish failed

    def topics(self) -> list[str]:
        return []  # every event is published

    def handle(self, notified: Sequence[Notified], effects: None) -> None:
        messages = [
            Message(str(n.event.originator_id).encode(),
                    encode(envelope(n.event, n.notification_id, self._source, self._subjects.keys(n.event))))
            for n in notified
        ]
        try:
            self._sink.publish(messages)
        except Exception:
            self.failing = True
            raise
        self.failing = False


class Relay:
    """The relay role: one follower (leading among replicas) and its health."""

    def __init__(self, store: EventStore, sink: Sink, source: str, wakeup: Wakeup, leadership: Leadership,
                 name: str = "relay", load: Callable[[UUID], Any] | None = None, batch_size: int = 500) -> None:
        self._store = store
        self._sink = sink
        self._leadership = leadership
        self.reaction = RelayReaction(sink, source, Subjects(load or (lambda _id: None)))
        self.follower = Follower(name, store, AcknowledgedPositions(store, name), self.reaction, wakeup, leadership,
                                 batch_size=batch_size)
        self._reachable = True
        self._stopping = threading.Event()
        self._prober: threading.Thread | None = None

    def position(self) -> int:
        return self.follower.position()

    def lag(self) -> int:
        """Recorded events not yet acknowledged by the sink."""
        return max(0, self._store.max_notification_id() - self.position())

    def healthy(self) -> bool:
        """False while the sink refuses what the relay publishes, or (while this process
        leads and has nothing to publish) does not answer; a standby is healthy."""
        if not self._leadership.held():
            return True
        return not self.reaction.failing and self._reachable

    def catch_up(self) -> None:
        self.follower.catch_up()

    def start(self) -> None:
        self._stopping.clear()
        self.follower.start()
        self._prober = threading.Thread(target=self._probe, name="relay-probe", daemon=True)
        self._prober.start()

    def stop(self) -> None:
        self._stopping.set()
        self.follower.stop()
        if self._prober is not None:
            self._prober.join(10)
            self._prober = None

    def _probe(self) -> None:
        while not self._stopping.wait(PROBE_INTERVAL):
            if not self._leadership.held():
                continue
            try:
                reachable = self._sink.reachable()
            except Exception:
                reachable = False
            if reachable != self._reachable:
                log.log(logging.INFO if reachable else logging.WARNING,
                        "relay: the event sink is %s", "reachable again" if reachable else "unreachable")
            self._reachable = reachable
