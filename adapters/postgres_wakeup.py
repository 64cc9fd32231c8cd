"""Wake-ups from other processes on PostgreSQL: one connection LISTENs on several channels.

The event store NOTIFYs its channel in every insert transaction (new events: followers
wake); the projector NOTIFYs the read-model progress channel in every batch transaction
(readers waiting for their writes wake)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)

# How often the listening thread looks at its stop flag between notifications; waiting for
# a notification is local (a socket poll), so a short period costs the database nothing.
STOP_CHECK_SECONDS = 0.2
RECONNECT_SECONDS = 0.5


def _first_line(error: BaseException) -> str:
    """The driver's reason in one line (libpq names host and port, never the password)."""
    return next((line.strip() for line in str(error).splitlines() if line.strip()), type(error).__name__)


class PostgresWakeup:
    def __init__(self, conninfo: str, signals: Mapping[str, Callable[[str], Any]]) -> None:
        """`signals`: what to call on a notification, by channel, with its payload (an empty
        one when (re)connecting: anything may have happened while nobody listened)."""
        self._conninfo = conninfo
        self._signals = dict(signals)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="postgres-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        lost = False  # one warning per outage, one info line when listening again
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    for channel in self._signals:
                        connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                    if lost:
                        log.info("listening for PostgreSQL notifications again")
                        lost = False
                    for signal in self._signals.values():
                        signal("")  # anything that happened while we were not listening
                    while not self._stopping.is_set():
                        for notification in connection.notifies(timeout=STOP_CHECK_SECONDS, stop_after=1):
                            self._dispatch(notification.channel, notification.payload)
            except psycopg.Error as error:
                if not lost:
                    log.warning("lost the PostgreSQL LISTEN connection (%s); reconnecting every %.1f s",
                                _first_line(error), RECONNECT_SECONDS)
                    lost = True
                self._stopping.wait(RECONNECT_SECONDS)

    def _dispatch(self, channel: str, payload: str) -> None:
        signal = self._signals.get(channel)
        if signal is not None:
            signal(payload)
