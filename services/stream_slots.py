"""How many streaming calls (capsule Logs and Execute) may be open at once.

Each open stream holds an RPC thread for as long as it lasts (a followed log, a terminal), in
the gRPC server's pool and in the Connect port's alike. Without a cap, enough of them would
take every thread, and every other call would queue behind them with no answer. So streams
share a number of slots below the pool's size; a stream that finds none free is refused at
once (RESOURCE_EXHAUSTED) and the remaining threads stay free for everything else."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rigd.services.calls import CallFailed, Status


class StreamSlots:
    def __init__(self, limit: int, on_change: Callable[[int], None] = lambda open_streams: None) -> None:
        if limit < 1:
            raise ValueError("a stream limit is at least 1")
        self.limit = limit
        self._open = 0
        self._lock = threading.Lock()
        self._on_change = on_change

    @property
    def open(self) -> int:
        return self._open

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Holds one slot for the block; refuses the call when every slot is taken."""
        with self._lock:
            if self._open >= self.limit:
                raise CallFailed(Status.RESOURCE_EXHAUSTED,
                                 f"too many streaming calls are open ({self.limit}, the server's limit);"
                                 " close one or try again later")
            self._open += 1
            self._on_change(self._open)
        try:
            yield
        finally:
            with self._lock:
                self._open -= 1
                self._on_change(self._open)
