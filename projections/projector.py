"""Keeps read models up to date with the event store, exactly once.

One follower per read model, each with its row in `read_model_positions`; a batch of
events and the new position are written in one transaction that holds the position row
(projections.positions.ReadDatabasePositions), so two projectors of one read model never
apply an event twice."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from rigd.domain.event_store import EventStore
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.follower import Follower, Leadership
from rigd.projections.positions import Fence, ReadDatabasePositions, read_position
from rigd.projections.read_model import ReadModel
from rigd.projections.wakeup import Wakeup

log = logging.getLogger(__name__)


class Projector:
    def __init__(
        self,
        store: EventStore,
        database: ReadDatabase,
        read_models: Sequence[ReadModel],
        wakeup: Wakeup,
        leadership: Leadership,
        progress: Wakeup | None = None,
        fence: Fence | None = None,
    ) -> None:
        self._database = database
        self._read_models = {model.name: model for model in read_models}
        self._wakeup = wakeup
        # Signalled after every batch this process applies (and, by the composition's
        # watchers, after other processes' batches): what read-your-writes waits on.
        self.progress = progress or Wakeup()

        def follower(model: ReadModel, fence: Fence | None) -> Follower[Cursor]:
            return Follower(
                model.name, store, ReadDatabasePositions(database, model.name, fence), model, wakeup, leadership,
                on_progress=self.progress.signal,
            )

        # The followers move a position only while this process holds its lease (`fence`);
        # catch_up runs leader or not, unfenced (the position row lock keeps it safe).
        self._followers = {model.name: follower(model, fence) for model in read_models}
        self._catching_up = {model.name: follower(model, None) for model in read_models}

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
        for model_name in [self._model(name).name] if name else self._read_models:
            self._catching_up[model_name].catch_up()

    def start(self) -> None:
        for follower in self._followers.values():
            follower.start()

    def stop(self, timeout: float = 10.0) -> None:
        for follower in self._followers.values():
            follower.stop(timeout)

    def position(self, name: str) -> int:
        with self._database.snapshot() as cursor:
            return read_position(cursor, self._model(name).name)

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
