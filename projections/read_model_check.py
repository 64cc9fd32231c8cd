"""Checks a live read model against a fresh replay of all history.

A new generation is built beside the live one (as a rebuild does: projections.generations),
never switched to: one transaction then holds both position rows, brings the one behind
up to the other (so both reflect the same events, and the live one only moves forward, as
its projector would move it), compares every table row by row, and the check's
generation is dropped. The serving projector waits on the live row for that transaction
only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rigd.domain.event_store import EventStore
from rigd.projections import generations
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.follower import BATCH_SIZE, Follower, Leadership, Notified
from rigd.projections.positions import ReadDatabasePositions
from rigd.projections.projector import RebuildRefused
from rigd.projections.read_model import GenerationWrite, ReadModel, ReadModelUnavailable
from rigd.projections.wakeup import Wakeup

SHOWN_ROWS = 5  # differing rows shown per table


@dataclass
class Comparison:
    read_model: str
    position: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not self.differences


def check(store: EventStore, database: ReadDatabase, model: ReadModel, wakeup: Wakeup,
          leadership: Leadership) -> Comparison:
    """Replays history into a fresh generation and compares it with the live one."""
    with database.build_lock(model.name, wait=False) as held:
        if not held:
            raise RebuildRefused(f"read model {model.name!r} is being rebuilt by another process; try again later")
        with database.transaction() as cursor:
            built = generations.add(cursor, model.name, model.version, model.tables)
            model.at(built).create_tables(cursor)
        try:
            Follower(f"{model.name}-check-g{built}", store, ReadDatabasePositions(database, model, built), model,
                     wakeup, leadership).catch_up()
            with database.transaction() as cursor:
                return _compare(store, cursor, model, built)
        finally:
            with database.transaction() as cursor:
                generations.drop(cursor, model.name, built)


def _compare(store: EventStore, cursor: Cursor, model: ReadModel, built: int) -> Comparison:
    locked = generations.lock_live(cursor, model.name, model.version)
    if locked is None:
        raise ReadModelUnavailable(f"read model {model.name!r} has no live generation to compare with")
    live, live_position = locked
    built_position = generations.lock_building(cursor, model.name, built) or 0
    position = max(live_position, built_position)
    _apply(store, model, GenerationWrite(cursor, live), live_position, position)
    _apply(store, model, GenerationWrite(cursor, built), built_position, position)
    generations.move(cursor, model.name, live, position)
    comparison = Comparison(model.name, position)
    for table in model.tables:
        comparison.differences += _table_differences(cursor, table, model.at(live).table(table),
                                                     model.at(built).table(table))
    return comparison


def _apply(store: EventStore, model: ReadModel, write: GenerationWrite, start: int, upto: int) -> None:
    position = start
    while position < upto:
        notifications = store.recorder.select_notifications(
            start=position + 1, limit=BATCH_SIZE, stop=upto, topics=model.topics())
        model.handle([Notified(store.mapper.to_domain_event(n), n.id) for n in notifications], write)
        position = notifications[-1].id if len(notifications) == BATCH_SIZE else upto


def _table_differences(cursor: Cursor, table: str, live: str, rebuilt: str) -> list[str]:
    def rows(name: str) -> Counter[tuple[object, ...]]:
        cursor.execute(f"SELECT * FROM {name}")
        return Counter(tuple(row) for row in cursor.fetchall())

    live_rows, rebuilt_rows = rows(live), rows(rebuilt)
    only_live = sorted(map(repr, (live_rows - rebuilt_rows).elements()))
    only_rebuilt = sorted(map(repr, (rebuilt_rows - live_rows).elements()))
    differences = [f"{table}: only in the live table: {row}" for row in only_live[:SHOWN_ROWS]]
    differences += [f"{table}: only in the rebuilt table: {row}" for row in only_rebuilt[:SHOWN_ROWS]]
    hidden = len(only_live) + len(only_rebuilt) - len(differences)
    if hidden:
        differences.append(f"{table}: {hidden} more differing rows")
    return differences
