"""Read-your-writes: waiting, bounded, until read models have passed a command's write."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from rigd.projections.wakeup import Wakeup

# Stop waiting this long before a client's deadline, so the answer still reaches it in time.
ANSWER_MARGIN = 0.05


class ReadYourWrites:
    """Waits on the projectors' progress signal: this process's projector signals it after
    each batch, and watchers of the read database signal batches of other processes.
    `position` is the live generation's (Projector.position): a rebuilt generation's
    position is seen only once its tables are live, so a read after the wait finds the write."""

    def __init__(
        self,
        position: Callable[[str], int],
        progress: Wakeup,
        read_timeout: float,
        on_timeout: Callable[[str], None],
        has_events: Callable[[str, int, int], bool] | None = None,
        apply_now: Callable[[str, int], bool] | None = None,
    ) -> None:
        self._position = position
        # (read model, after, upto) -> whether any of its events lie between: a read model
        # behind the write only with events of others already shows it (Projector.has_events).
        self._has_events = has_events
        # (read model, notification id) -> applies its events up to there in the waiting
        # thread when this process may (Projector.apply_now): no follower's wake-up to wait for.
        # True when the read model is known to show the write already (a save wrote it).
        self._apply_now = apply_now
        self._progress = progress
        self._read_timeout = read_timeout
        self._on_timeout = on_timeout

    def wait_for(self, notification_id: int, read_models: Iterable[str], deadline: float | None = None) -> bool:
        """True once every named read model has applied `notification_id`; False when the
        wait ran out first: after `read_timeout`, or earlier at `deadline` (a
        time.monotonic() value, such as a client's deadline). Each read model still
        behind then is counted by `on_timeout`."""
        if notification_id <= 0:
            return True
        bound = self._read_timeout
        if deadline is not None:
            bound = min(bound, deadline - ANSWER_MARGIN - time.monotonic())
        ends = time.monotonic() + bound
        pending = list(read_models)
        concerned: set[str] = set()  # found to have events to apply: asked once, they stay there
        if self._apply_now is not None:  # (a read model already there costs a position read)
            pending = [name for name in pending if not self._apply_now(name, notification_id)]
        while True:
            seen = self._progress.generation()  # before reading positions: no signal is missed
            pending = [name for name in pending if self._behind(name, notification_id, concerned)]
            if not pending:
                return True
            remaining = ends - time.monotonic()
            if remaining <= 0:
                for name in pending:
                    self._on_timeout(name)
                return False
            self._progress.wait(seen, remaining)

    def _behind(self, name: str, notification_id: int, concerned: set[str]) -> bool:
        position = self._position(name)
        if position >= notification_id:
            return False
        if self._has_events is None or name in concerned or self._has_events(name, position, notification_id):
            concerned.add(name)
            return True
        return False
