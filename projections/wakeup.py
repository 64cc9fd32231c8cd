"""How followers learn that new events were recorded, without busy polling."""

from __future__ import annotations

import threading


class Wakeup:
    """A counter of signals that followers wait on. Signalled after every save in this
    process, and by a database listener for saves made by other processes."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._generation = 0
        self._recorded = 0

    def signal(self, notification_id: int = 0) -> None:
        """`notification_id`: the last id of a save this process committed (0 when unknown)."""
        with self._condition:
            self._generation += 1
            self._recorded = max(self._recorded, notification_id)
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

    def wait(self, seen: int, timeout: float) -> int:
        """Waits until a signal newer than `seen` arrives or `timeout` passes; returns the generation."""
        with self._condition:
            self._condition.wait_for(lambda: self._generation != seen, timeout=timeout)
            return self._generation
