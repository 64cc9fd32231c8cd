"""Keeps read models up to date with the event store, exactly once, and rebuilds them
beside the live ones.

One follower per read model follows the live generation of its schema version
(projections.generations); a batch of events and the new position are written in one
transaction that holds that generation's position row
(projections.positions.ReadDatabasePositions), so two projectors of one read model never
apply an event twice. A rebuild replays history into a new generation with a position row
of its own, then switches: one transaction locks the live row (a serving projector waits
there for at most one batch), applies the rest of the log to the new generation and marks
it live and the old one retired; the serving projectors' next batch follows the new one."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from eventsourcing.utils import get_topic

from rigd.domain.event_store import EventStore
from rigd.projections import generations
from rigd.projections.database import ReadDatabase
from rigd.projections.follower import BATCH_SIZE, Follower, Leadership, LeaseLost, Notified, SharedLogEnd
from rigd.projections.positions import Fence, GenerationAbandoned, ReadDatabasePositions
from rigd.projections.read_model import GenerationWrite, ReadModel
from rigd.projections.save_batches import SaveTransaction, apply_in_save
from rigd.projections.wakeup import Wakeup

log = logging.getLogger(__name__)

# How long a switch waits for readers that may still see the old generation live before
# dropping its tables anyway (a reader that already read them holds a lock DROP waits for).
OLDER_READERS_WAIT = 30.0
# How long a serving follower may leave its position behind events that are none of its read
# model's (see Follower): each save then costs only the read models it concerns a transaction.
DEFER_UNRELATED = 1.0


class UnknownReadModel(KeyError):
    """No read model has this name."""


class RebuildRefused(Exception):
    """Another process is building a generation of this read model right now."""


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
        written_in_saves: Iterable[str] = (),
    ) -> None:
        self._store = store
        self._database = database
        self._read_models = {model.name: model for model in read_models}
        self._wakeup = wakeup
        self._leadership = leadership
        # Signalled after every batch this process applies (and, by the composition's
        # watchers, after other processes' batches): what read-your-writes waits on.
        self.progress = progress or Wakeup()
        # One counter per read model, moved with `progress`: caches of one read model's
        # answers (RBAC grants) drop them only when that read model moved, not on every batch.
        self._moved = {model.name: Wakeup() for model in read_models}
        # The read models that saves write in their own transaction (`write_in_save`), with
        # their topics; and how far such writes of this process have taken each read model.
        self._in_saves = {name: frozenset(self.read_model(name).topics()) for name in written_in_saves}
        self._applied_in_saves: dict[str, int] = {}
        self._generations_in_saves: dict[str, int] = {}  # the generation each was last written in (a guess)
        self._applied_lock = threading.Lock()

        def follower(model: ReadModel, fence: Fence | None, defer: float = 0.0,
                     log_end: SharedLogEnd | None = None) -> Follower[GenerationWrite]:
            return Follower(
                model.name, store, ReadDatabasePositions(database, model, fence=fence), model, wakeup, leadership,
                on_progress=lambda _end: self.signal_moved(model.name), defer_unrelated=defer, log_end=log_end,
            )

        # The followers move a position only while this process holds its lease (`fence`);
        # catch_up runs leader or not, unfenced (the position row lock keeps it safe), and
        # asks the store where the log ends itself (it must see saves not yet signalled).
        # (other followers woken by the same saves may share it: `log_end`)
        self.log_end = log_end = SharedLogEnd(store, wakeup)
        self._followers = {model.name: follower(model, fence, DEFER_UNRELATED, log_end) for model in read_models}
        self._catching_up = {model.name: follower(model, None) for model in read_models}
        # Fenced like the serving followers, never deferring: what apply_now runs.
        self._applying_now = {model.name: follower(model, fence) for model in read_models}
        self._serving = False

    @property
    def names(self) -> list[str]:
        return list(self._read_models)

    def read_model(self, name: str) -> ReadModel:
        try:
            return self._read_models[name]
        except KeyError:
            raise UnknownReadModel(f"no read model named {name!r}; known: {', '.join(self._read_models)}") from None

    def prepare(self) -> None:
        """Creates the generations table, and builds a generation of every read model whose
        schema version has none live yet (a first start, or a new rigd version: the older
        version's generation keeps serving its replicas until this one is live). Replicas
        starting together build each once: the others wait on the build lock."""
        with self._database.exclusive() as cursor:
            generations.create_table(cursor)
        for model in self._read_models.values():
            if self._live(model):
                continue  # without waiting for the build lock: a rebuild may be holding it
            with self._database.build_lock(model.name, wait=True):
                if self._live(model):
                    continue
                self._drop_leftovers(model)
                log.info("read model %s: building a generation of schema version %s", model.name, model.version)
                self._build(model)

    def rebuild(self, name: str) -> int:
        """Replays all history into a new generation beside the live one and switches to it
        once caught up; returns the position it went live at. Raises RebuildRefused while
        another process builds this read model."""
        model = self.read_model(name)
        with self._database.build_lock(name, wait=False) as held:
            if not held:
                raise RebuildRefused(
                    f"read model {name!r} is being rebuilt by another process; try again when it is done")
            self._drop_leftovers(model)
            return self._build(model)

    def catch_up(self, name: str | None = None) -> None:
        """Applies everything recorded so far (synchronously), for one or all read models,
        leader or not (the position row lock keeps that safe)."""
        for model_name in [self.read_model(name).name] if name else self._read_models:
            self._catching_up[model_name].catch_up()

    def start(self) -> None:
        for follower in self._followers.values():
            follower.start()
        self._serving = True

    def stop(self, timeout: float = 10.0) -> None:
        self._serving = False
        for follower in self._followers.values():
            follower.stop(timeout)

    def apply_now(self, name: str, upto: int) -> bool:
        """Applies the log to read model `name` in the calling thread, as its follower would,
        when this process serves the read models and leads: a caller waiting for its own
        write (read-your-writes) then waits for no follower's turn among all the others.
        The position row lock keeps each event applied once beside the follower; a failure
        leaves the work to the follower (the caller keeps waiting for it). `upto`: the
        caller's committed write, which every id below it precedes (inserts are serialised).
        True, without a query, when a save of this process already applied `upto`."""
        if self._applied_in_saves.get(name, 0) >= upto:
            return True
        follower = self._applying_now.get(name)
        if follower is None or not self._serving or not self._leadership.held():
            return False
        try:
            # An id this process saw committed bounds the batch; any other (not yet known
            # committed) is left to the log's end, as a follower asks it.
            follower.step(upto=upto if upto <= self._wakeup.recorded() else 0)
        except LeaseLost:
            pass
        except Exception:  # the follower retries the batch; the caller's wait reports a timeout
            log.debug("read model %s: applying a batch for a waiting reader failed", name, exc_info=True)
        return False

    def writes_in_save(self, events: list[Any]) -> bool:
        """Whether a save of these events writes read models in its transaction (`write_in_save`)."""
        if not self._in_saves or not self._leadership.held():
            return False
        saved = {get_topic(type(event)) for event in events}
        return any(not saved.isdisjoint(topics) for topics in self._in_saves.values())

    def write_in_save(self, transaction: SaveTransaction,
                      recorded: list[tuple[Any, int]]) -> Callable[[], None] | None:
        """Applies a save's events to the read models named `written_in_saves` that handle
        them, in the save's own transaction (projections.save_batches), when this process
        leads the projector role (its followers would apply them otherwise). Returns what
        to do once the save committed: note the positions, and tell waiting readers."""
        if not self._in_saves or not recorded or not self._leadership.held():
            return None
        saved = {get_topic(type(event)) for event, _ in recorded}
        moved: dict[str, int] = {}
        for name, topics in self._in_saves.items():
            if saved.isdisjoint(topics):
                continue
            generation, position = apply_in_save(self._read_models[name], transaction, recorded, self._store.mapper,
                                                 self._generations_in_saves.get(name, 0))
            if position:
                self._generations_in_saves[name] = generation
                self._database.announce_progress(transaction.cursor, name)
                moved[name] = position
        return (lambda: self._applied_in_save(moved)) if moved else None

    def _applied_in_save(self, moved: dict[str, int]) -> None:
        with self._applied_lock:
            for name, position in moved.items():
                self._applied_in_saves[name] = max(position, self._applied_in_saves.get(name, 0))
        for name, position in moved.items():
            self._followers[name].passed(position)
            self.signal_moved(name)

    def signal_moved(self, name: str = "") -> None:
        """A batch of read model `name` committed (in this process or, told by the progress
        channel, in another); an empty or unknown name counts as every read model moved."""
        moved = self._moved.get(name)
        for wakeup in [moved] if moved is not None else self._moved.values():
            wakeup.signal()
        self.progress.signal()

    def moves_of(self, names: Iterable[str]) -> int:
        """A number that changes whenever one of the named read models moves."""
        return sum(self._moved[name].generation() for name in names if name in self._moved)

    def has_events(self, name: str, after: int, upto: int) -> bool:
        """Whether the log holds events of the read model after position `after`, up to
        `upto`: when it holds none, the read model already shows what `upto` wrote."""
        topics = self.read_model(name).topics()
        if not topics:
            return True
        if self._store.recorder.select_notifications(start=after + 1, limit=1, stop=upto, topics=topics):
            return True
        return self._store.max_notification_id() < upto  # not all written yet: it may still hold some

    def position(self, name: str) -> int:
        """The live generation's position for this rigd's schema version (0 if none is live):
        it moves to a new generation's only in the transaction that makes its tables live."""
        model = self.read_model(name)
        with self._database.snapshot() as cursor:
            found = generations.live(cursor, model.name, model.version)
        return found[1] if found else 0

    def _live(self, model: ReadModel) -> bool:
        with self._database.snapshot() as cursor:
            return generations.live(cursor, model.name, model.version) is not None

    def _build(self, model: ReadModel) -> int:
        """Builds a generation (the caller holds the build lock), switches to it, and drops
        the generations it replaced."""
        with self._database.transaction() as cursor:
            generation = generations.add(cursor, model.name, model.version, model.tables)
            model.at(generation).create_tables(cursor)
        replaying = Follower(
            f"{model.name}-g{generation}", self._store, ReadDatabasePositions(self._database, model, generation),
            model, self._wakeup, self._leadership,
        )
        replaying.catch_up()
        replaced, position = self._switch(model, generation)
        log.info("read model %s: generation %s live at position %s", model.name, generation, position)
        self.signal_moved(model.name)
        self._drop(model, replaced)
        return position

    def _switch(self, model: ReadModel, generation: int) -> tuple[list[int], int]:
        """In one transaction: locks the live rows it replaces, then its own (ascending
        generations), applies what was recorded since the replay, and goes live."""
        with self._database.transaction() as cursor:
            replaced = generations.lock_replaced(cursor, model.name, model.version)
            start = generations.lock_building(cursor, model.name, generation)
            if start is None:
                raise GenerationAbandoned(f"read model {model.name!r}: generation {generation} was given up")
            position = self._apply_rest(model, GenerationWrite(cursor, generation), start)
            generations.move(cursor, model.name, generation, position)
            generations.go_live(cursor, model.name, generation, replaced)
            self._database.announce_progress(cursor, model.name)
        return replaced, position

    def _apply_rest(self, model: ReadModel, write: GenerationWrite, start: int) -> int:
        """Applies the log after `start` up to its current end; returns that end."""
        upto = self._store.max_notification_id()
        position = start
        while position < upto:
            notifications = self._store.recorder.select_notifications(
                start=position + 1, limit=BATCH_SIZE, stop=upto, topics=model.topics()
            )
            mapper = self._store.mapper
            model.handle([Notified(mapper.to_domain_event(n), n.id) for n in notifications], write)
            position = notifications[-1].id if len(notifications) == BATCH_SIZE else upto
        return max(position, start)

    def _drop(self, model: ReadModel, retired: list[int]) -> None:
        """Drops retired generations once no reader can still see them live."""
        if not retired:
            return
        self._database.await_older_readers(OLDER_READERS_WAIT)
        with self._database.transaction() as cursor:
            for generation in retired:
                generations.drop(cursor, model.name, generation)

    def _drop_leftovers(self, model: ReadModel) -> None:
        """Drops what an interrupted build or switch left (the caller holds the build lock)."""
        with self._database.snapshot() as cursor:
            leftovers = generations.leftovers(cursor, model.name)
        self._drop(model, leftovers)
