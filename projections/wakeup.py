"""How followers learn that new events were recorded, without busy polling."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable

# How many of this process's newest notifications (id and topic) a Wakeup remembers, so that
# followers can tell what a save concerns without reading the log back.
REMEMBERED = 4096


class Wakeup:
    """A counter of signals that followers wait on. Signalled after every save in this
    process, and by a database listener for saves made by other processes.

    It also remembers what it was told: the id and topic of this process's newest saved
    events, and whether every signal since a given one named the commit it announces, which
    is what lets followers woken by a save of this process learn where the log ends and which
    topics the new events have without a query (`log_known`, `topics_between`)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._generation = 0
        self._recorded = 0
        self._unnamed = 0  # the generation of the last signal that named no commit
        self._topics: dict[int, str] = {}
        self._order: deque[int] = deque()

    def signal(self, notification_id: int = 0, notified: Iterable[tuple[int, str]] = ()) -> None:
        """`notification_id`: the last id of a save this process committed (0 when unknown);
        `notified`: the id and topic of each of its events, when known."""
        with self._condition:
            self._generation += 1
            if notification_id:
                self._recorded = max(self._recorded, notification_id)
            else:
                self._unnamed = self._generation
            for known_id, topic in notified:
                self._remember(known_id, topic)
            self._condition.notify_all()

    def signal_committed(self, notification_id: int) -> None:
        """A commit another connection announced, up to `notification_id` (0 when unknown).
        None is needed when this process has signalled a save at or past it: that signal
        came after the commit, so whoever it woke saw it (it is this process's own save
        announced back, most often)."""
        with self._condition:  # (a re-entrant lock: `signal` takes it again)
            if not 0 < notification_id <= self._recorded:
                self.signal(notification_id)

    def recorded(self) -> int:
        """The highest notification id signalled as committed (every id below it is too)."""
        with self._condition:
            return self._recorded

    def generation(self) -> int:
        with self._condition:
            return self._generation

    def log_known(self, since: int) -> int:
        """Where the log is known to end (every id up to it committed) when every signal
        after generation `since` named its commit; 0 when one did not (then only the
        database can tell)."""
        with self._condition:
            return self._recorded if self._unnamed <= since else 0

    def topics_between(self, after: int, upto: int) -> set[str] | None:
        """The topics of the events after `after` up to `upto`, when this process saved every
        one of them recently; None otherwise (another process's, an id a rolled-back insert
        used, or one forgotten already)."""
        if upto - after > REMEMBERED:
            return None  # (more than it remembers: no need to look)
        with self._condition:
            topics = set()
            for notification_id in range(after + 1, upto + 1):
                topic = self._topics.get(notification_id)
                if topic is None:
                    return None
                topics.add(topic)
            return topics

    def wait(self, seen: int, timeout: float) -> int:
        """Waits until a signal newer than `seen` arrives or `timeout` passes; returns the generation."""
        with self._condition:
            self._condition.wait_for(lambda: self._generation != seen, timeout=timeout)
            return self._generation

    def _remember(self, notification_id: int, topic: str) -> None:
        if notification_id in self._topics:
            return
        self._topics[notification_id] = topic
        self._order.append(notification_id)
        while len(self._order) > REMEMBERED:
            del self._topics[self._order.popleft()]
