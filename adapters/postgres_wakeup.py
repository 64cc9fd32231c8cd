"""Wakes this process's followers when any process records events in PostgreSQL.

The eventsourcing PostgreSQL recorder sends NOTIFY on a channel named after its
events table in every insert transaction; this thread LISTENs on it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)


class PostgresWakeup:
    def __init__(self, conninfo: str, channel: str, signal: Callable[[], None]) -> None:
        self._conninfo = conninfo
        self._channel = channel
        self._signal = signal
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="postgres-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
                    self._signal()  # anything recorded while we were not listening
                    while not self._stopping.is_set():
                        for _ in connection.notifies(timeout=1.0, stop_after=1):
                            self._signal()
            except psycopg.Error:
                log.warning("lost the PostgreSQL LISTEN connection; reconnecting", exc_info=True)
                self._stopping.wait(1.0)
