"""Keeps read models up to date with the event store, exactly once.

Each read model has its own row in `read_model_positions`; a batch of events and the
new position are written in one transaction that holds the position row, so two
projectors of one read model never apply an event twice."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from typing import Protocol

from rigd.domain.errors import Unavailable
from rigd.domain.event_store import EventStore
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.read_model import ReadModel
from rigd.projections.wakeup import Wakeup

log = logging.getLogger(__name__)

BATCH_SIZE = 500
IDLE_WAIT = 5.0  # seconds; a safety net only: followers are woken by signals


class Leadership(Protocol):
    """Whether this process is the one that should follow (see adapters.leadership)."""

    def held(self) -> bool: ...

    def wait_held(self, timeout: float) -> bool: ...


class Projector:
    def __init__(
        self,
        store: EventStore,
        database: ReadDatabase,
        read_models: Sequence[ReadModel],
        wakeup: Wakeup,
        leadership: Leadership,
    ) -> None:
        self._store = store
        self._leadership = leadership
        self._database = database
        self._read_models = {model.name: model for model in read_models}
        self._wakeup = wakeup
        self._progress = threading.Condition()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def names(self) -> list[str]:
        return list(self._read_models)

    def prepare(self) -> None:
        """Creates the tables; rebuilds from zero any read model whose schema version changed."""
        with self._database.exclusive() as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS read_model_positions ("
                "name TEXT PRIMARY KEY, version INTEGER NOT NULL, position BIGINT NOT NULL)"
            )
            for model in self._read_models.values():
                cursor.execute("SELECT version FROM read_model_positions WHERE name = $1", (model.name,))
                row = cursor.fetchone()
                if row is not None and row[0] == model.version:
                    continue
                if row is not None:
                    log.info("read model %s: schema version %s -> %s, rebuilding", model.name, row[0], model.version)
                self._reset(model, cursor)

    def rebuild(self, name: str) -> None:
        """Drops the read model's tables and position; the followers then replay all history."""
        model = self._model(name)
        with self._database.exclusive() as cursor:
            self._reset(model, cursor)
        self._wakeup.signal()

    def catch_up(self, name: str | None = None) -> None:
        """Applies everything recorded so far (synchronously), for one or all read models,
        leader or not (the position row lock keeps that safe)."""
        for model in [self._model(name)] if name else self._read_models.values():
            while self._step(model):
                pass

    def start(self) -> None:
        for model in self._read_models.values():
            thread = threading.Thread(target=self._follow, args=(model,), name=f"projector-{model.name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wakeup.signal()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def position(self, name: str) -> int:
        with self._database.snapshot() as cursor:
            return self._position(cursor, name)

    def wait_for(self, notification_id: int, names: Iterable[str], timeout: float) -> None:
        """Read-your-writes: returns once the named read models have applied
        `notification_id`; raises Unavailable if they have not within `timeout`."""
        if notification_id <= 0:
            return
        deadline = time.monotonic() + timeout
        pending = list(names)
        while pending:
            pending = [name for name in pending if self.position(name) < notification_id]
            remaining = deadline - time.monotonic()
            if not pending:
                return
            if remaining <= 0:
                raise Unavailable(
                    "the change was saved, but the read models have not caught up yet; read again shortly"
                )
            with self._progress:
                # Woken by this process's followers; the short cap covers projectors in other processes.
                self._progress.wait(min(remaining, 0.05))

    def _follow(self, model: ReadModel) -> None:
        seen = self._wakeup.generation()
        while not self._stopping.is_set():
            if not self._leadership.held():
                # On standby: another process projects; this one's queries read its work.
                self._leadership.wait_held(IDLE_WAIT)
                continue
            try:
                progressed = self._step(model)
            except Exception:  # keep following; the failed batch is retried after a pause
                log.exception("read model %s: batch failed, retrying", model.name)
                self._stopping.wait(1.0)
                continue
            if not progressed:
                seen = self._wakeup.wait(seen, IDLE_WAIT)

    def _step(self, model: ReadModel) -> bool:
        """Applies one batch; returns False when there was nothing new.

        Only the read model's own topics are fetched, yet its position still moves to
        the end of the log: ids up to `upto` are all committed (both recorders write
        one transaction at a time), so no event it handles can appear below it later."""
        upto = self._store.max_notification_id()
        if self.position(model.name) >= upto:
            return False
        with self._database.transaction() as cursor:
            # Lock the position row first: a second projector of this read model waits
            # here and then starts from where this one ended.
            cursor.execute("UPDATE read_model_positions SET position = position WHERE name = $1", (model.name,))
            start = self._position(cursor, model.name)
            if start >= upto:
                return False
            notifications = self._store.recorder.select_notifications(
                start=start + 1, limit=BATCH_SIZE, stop=upto, topics=model.topics()
            )
            for notification in notifications:
                model.apply(self._store.mapper.to_domain_event(notification), notification.id, cursor)
            end = notifications[-1].id if len(notifications) == BATCH_SIZE else upto
            cursor.execute("UPDATE read_model_positions SET position = $1 WHERE name = $2", (end, model.name))
        with self._progress:
            self._progress.notify_all()
        return True

    def _reset(self, model: ReadModel, cursor: Cursor) -> None:
        model.drop_tables(cursor)
        model.create_tables(cursor)
        cursor.execute("DELETE FROM read_model_positions WHERE name = $1", (model.name,))
        cursor.execute(
            "INSERT INTO read_model_positions (name, version, position) VALUES ($1, $2, 0)",
            (model.name, model.version),
        )

    def _model(self, name: str) -> ReadModel:
        try:
            return self._read_models[name]
        except KeyError:
            raise KeyError(f"no read model named {name!r}; known: {', '.join(self._read_models)}") from None

    @staticmethod
    def _position(cursor: Cursor, name: str) -> int:
        cursor.execute("SELECT position FROM read_model_positions WHERE name = $1", (name,))
        row = cursor.fetchone()
        return int(row[0]) if row else 0
