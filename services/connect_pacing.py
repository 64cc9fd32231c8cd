"""Which unary calls the Connect port runs on its event loop itself, rather than on a worker.

Handing a call to a worker thread and back costs two hand-overs of the interpreter lock,
the executor's queue and futures, and the library's disconnect watch: for a read answered
from the read model in a fraction of a millisecond that is most of the call's cost, and with
concurrent clients the loop and the workers queue for the lock (bench/connect_vs_grpc.py).
A call on the loop blocks every other request on the port while it runs, so only an RPC whose
typical run is quick runs there:

- each RPC keeps a moving share of its runs (on the loop or a worker) that took at most
  `QUICK_SECONDS`, each run weighing `1 / RUNS_WEIGHED`; the RPC runs on the loop while more
  than half were quick. A median rather than a mean, since on a busy machine a quick call is
  now and then preempted, or a worker waits for the lock. A slow run on the loop weighs
  `LOOP_SLOW_WEIGHT` times as much: an RPC that turns slow leaves the loop after three;
- a run on the loop longer than `STALL_SECONDS` (a database stall, say) clears its RPC's share
  and keeps every RPC off the loop for `HOLD_FACTOR` times as long as that run took (up to
  `LONGEST_HOLD_SECONDS`): a stall blocks the loop once, not once per RPC."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

QUICK_SECONDS = 0.001
RUNS_WEIGHED = 16
LOOP_SLOW_WEIGHT = 4
STALL_SECONDS = 0.05
HOLD_FACTOR = 10.0
LONGEST_HOLD_SECONDS = 10.0


class Pacing:
    """The recent runs of each RPC (by path), as far as they decide where its next call runs.
    Workers and the loop both record runs; an update lost to a race only delays a move."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._quick_share: dict[str, float] = {}
        self._held_until = 0.0

    def on_loop(self, path: str) -> bool:
        """Whether the next call of `path` may run on the event loop."""
        return self._quick_share.get(path, 0.0) > 0.5 and self._clock() >= self._held_until

    def timed(self, path: str, on_loop: bool, run: Callable[..., Any], *args: Any) -> Any:
        """`run(*args)`, its run time recorded for `path` however it ends."""
        started = self._clock()
        try:
            return run(*args)
        finally:
            self._ran(path, on_loop, self._clock() - started)

    def _ran(self, path: str, on_loop: bool, seconds: float) -> None:
        if on_loop and seconds > STALL_SECONDS:
            self._quick_share[path] = 0.0
            self._held_until = self._clock() + min(LONGEST_HOLD_SECONDS, HOLD_FACTOR * seconds)
            return
        share = self._quick_share.get(path, 0.0)
        if seconds <= QUICK_SECONDS:
            self._quick_share[path] = share + (1.0 - share) / RUNS_WEIGHED
        else:
            self._quick_share[path] = share - share * (LOOP_SLOW_WEIGHT if on_loop else 1) / RUNS_WEIGHED
