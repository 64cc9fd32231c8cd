"""eventsourcing's process recorders, with tracking as compare-and-set.

The library records a follower's position (`Tracking`) only if it is higher than the
stored one. That suffices when each position is one event, but a follower handles
batches: two followers starting from the same position may end at different ones, and
the later would repeat the earlier's reactions. So when the save says where its batch
started (`tracking_after`), the position moves only from exactly there, in the same
transaction as the reaction's events; otherwise the save fails with IntegrityError.

They also refuse to record a change whose call is over: right before the insert, inside
its transaction, a change whose call's deadline has passed or whose client went away
raises DeadlineExceeded or Cancelled, and nothing is written. On PostgreSQL the insert's
statements are bounded by the call's remaining time (`statement_timeout`, `lock_timeout`),
so a write cannot commit long after its client gave up; SQLite, whose wait for the write
lock cannot be bounded per statement, checks once more after inserting, before the commit.

On PostgreSQL a save can also write what derives from it in its own transaction (the
`within_save` keyword, domain.event_store.SaveWrites: read-model rows, so the command's
reader needs no second commit). Those writes run in a savepoint once the events have their
notification ids; if they fail, the savepoint is rolled back and the events commit alone
(a follower then applies them, as for any save). The whole transaction is one pipeline with
explicit BEGIN, SAVEPOINT and COMMIT statements: a save costs a round trip for its ids, one
for its derived writes' outcome, and one for the commit.

The events channel's notification carries the save's last notification id, sent once the ids
are known (the library sends an empty one before the insert): a process that signalled its
own save already knows the notification it gets back says nothing new (adapters.postgres_wakeup)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Notification, StoredEvent, Tracking
from eventsourcing.postgres import PostgresFactory, PostgresProcessRecorder
from eventsourcing.sqlite import SQLiteCursor, SQLiteProcessRecorder
from eventsourcing.utils import Environment, EnvType, retry
from psycopg import Connection, Cursor, Error, InterfaceError, OperationalError, Pipeline, RawCursor, sql
from psycopg.pq import TransactionStatus
from psycopg.rows import DictRow, dict_row, tuple_row
from psycopg.sql import SQL, Identifier

from rigd.adapters.postgres_pools import BoundedEventsourcingPool, Reachability, remaining_milliseconds
from rigd.domain.context import current_bounds
from rigd.domain.event_store import TRACKING_AFTER, WITHIN_SAVE, SaveWrites

log = logging.getLogger(__name__)


def _moved(tracking: Tracking, after: int, row: object) -> None:
    if row is None:
        raise IntegrityError(
            f"{tracking.application_name} is no longer at {after}: another follower recorded this batch"
        )


def _is_lock_timeout(statement: Any) -> bool:
    text = statement.as_string(None) if isinstance(statement, sql.Composable) else str(statement)
    return text.startswith("SET LOCAL lock_timeout")


class RigdPostgresProcessRecorder(PostgresProcessRecorder):
    def _lock_table(self, curs: Cursor[DictRow]) -> None:
        """Takes the events table's lock, within the call's remaining time; refuses an ended call."""
        current_bounds().check()
        milliseconds = remaining_milliseconds()
        if milliseconds is None:
            super()._lock_table(curs)
            return
        # The configured lock wait, or less if the call has less time; both limits in one statement.
        lock_wait = min(self.datastore.lock_timeout * 1000 or milliseconds, milliseconds)
        curs.execute("SELECT set_config('statement_timeout', %s, true), set_config('lock_timeout', %s, true)",
                     (str(milliseconds), str(lock_wait)), prepare=True)
        for statement in self.lock_table_statements:
            if not _is_lock_timeout(statement):
                curs.execute(statement, prepare=True)

    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        current_bounds().check()
        tracking: Tracking | None = kwargs.get("tracking")
        after: int | None = kwargs.get(TRACKING_AFTER)
        if tracking is None or after is None:
            super()._insert_events(curs, stored_events, **kwargs)
            return
        curs.execute(
            SQL(
                "INSERT INTO {0}.{1} (application_name, notification_id) VALUES (%(name)s, %(end)s)"
                " ON CONFLICT (application_name) DO UPDATE SET notification_id = %(end)s"
                " WHERE {0}.{1}.notification_id = %(after)s RETURNING notification_id"
            ).format(Identifier(self.datastore.schema), Identifier(self.tracking_table_name)),
            {"name": tracking.application_name, "end": tracking.notification_id, "after": after},
        )
        _moved(tracking, after, curs.fetchone())
        super()._insert_events(curs, stored_events, **{**kwargs, "tracking": None})

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events_after(self, versions: Sequence[tuple[UUID, int]]) -> list[StoredEvent]:
        """The events of several aggregates, each after its version, in one query (ordered
        by aggregate, then version): a command that loads several costs one round trip."""
        one = SQL("SELECT * FROM {0}.{1} WHERE originator_id = %s AND originator_version > %s").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name))
        statement = SQL(" UNION ALL ").join([one] * len(versions))
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, [value for pair in versions for value in pair], prepare=True)
            rows = curs.fetchall()
        return _in_order(StoredEvent(originator_id=row["originator_id"], originator_version=row["originator_version"],
                                     topic=row["topic"], state=bytes(row["state"])) for row in rows)

    def _notify_channel(self, curs: Cursor[DictRow]) -> None:
        """Nothing yet: the notification is sent with the save's last id once it is known."""

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """Inserts the events, and what derives from them, in one transaction sent as one
        pipeline: a round trip for the notification ids, one for the derived writes (their
        errors must be known before the commit), and the commit. (The library's nested
        transaction blocks cost a synchronising round trip at each entry and exit.)"""
        with self.datastore.get_connection() as conn:
            rolled_back = False
            try:
                with conn.pipeline() as pipeline:
                    conn.execute("BEGIN")
                    try:
                        notification_ids = self._insert_pipelined(conn, pipeline, stored_events, **kwargs)
                    except BaseException:
                        rolled_back = True
                        _rolled_back_to(conn, pipeline, None)
                        raise
                    conn.execute("COMMIT")  # sent, and its answer checked, as the pipeline ends
            except BaseException:
                if not rolled_back and not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE:
                    _forget_prepared(conn)  # (the pipeline failed after the rollback point: its commit)
                raise
        return notification_ids

    def _insert_pipelined(self, conn: Connection[DictRow], pipeline: Pipeline, stored_events: Sequence[StoredEvent],
                          **kwargs: Any) -> Sequence[int] | None:
        with conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)  # (tracking: one round trip of its own)
        if not stored_events:
            return None
        with conn.cursor() as curs:
            self._insert_stored_events(curs, stored_events, **kwargs)
            pipeline.sync()  # a version conflict is raised here, as an IntegrityError
            notification_ids = self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        writes: SaveWrites | None = kwargs.get(WITHIN_SAVE)
        if writes is not None and notification_ids:
            self._write_within(conn, pipeline, writes, list(notification_ids))
        return notification_ids

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        notification_ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if notification_ids:  # (delivered on commit, like any notification)
            curs.execute("SELECT pg_notify(%s, %s)", (self.channel_name, str(max(notification_ids))), prepare=True)
        return notification_ids

    def _write_within(self, connection: Connection[DictRow], pipeline: Pipeline, writes: SaveWrites,
                      notification_ids: list[int]) -> None:
        """Runs the save's derived writes in a savepoint, and learns of any error of theirs
        before it ends, so a failure rolls back only them."""
        try:
            with savepoint(connection, pipeline, "rigd_derived", released=False):  # (the commit follows)
                writes.write(PostgresSaveTransaction(connection, pipeline, self), notification_ids)
                pipeline.sync()
        except Exception:  # the events still commit; the followers apply them instead
            writes.discard()
            log.warning("writing what derives from a save in its transaction failed; left to the followers",
                        exc_info=True)


@contextmanager
def savepoint(connection: Connection[Any], pipeline: Pipeline, name: str, released: bool = True) -> Iterator[None]:
    """A savepoint within a pipelined transaction, sent with the statements around it (no
    round trip of its own): what the block raises rolls back to it, and is raised again.
    Unless `released`, it stays until the transaction ends (a statement less, where the
    commit is what follows: it releases every savepoint)."""
    connection.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        _rolled_back_to(connection, pipeline, name)
        raise
    if released:
        connection.execute(f"RELEASE SAVEPOINT {name}")


def _forget_prepared(connection: Connection[Any]) -> None:
    """Drops every prepared statement, on both sides, as psycopg's own transaction blocks do
    at a rollback: the server skipped whatever followed a failed statement in the pipeline,
    statements psycopg believes prepared included. (psycopg offers no public way to reset
    its cache: a DEALLOCATE ALL of our own is noticed only the first time it is sent.)"""
    prepared = getattr(connection, "_prepared", None)
    if prepared is None:  # a psycopg whose cache is elsewhere: a new connection is the safe answer
        connection.close()
        return
    prepared.clear()
    connection.wait(prepared.maintain_gen(connection))  # DEALLOCATE ALL (queued, in a pipeline)


def _rolled_back_to(connection: Connection[Any], pipeline: Pipeline, name: str | None) -> None:
    """Rolls the transaction back (or back to the savepoint `name`) after an error, once the
    pipeline is out of the aborted state a failed statement leaves it in; then no statement
    counts as prepared (see _forget_prepared)."""
    with suppress(Error):  # the failure that brought us here, reported again; the block's own is raised
        pipeline.sync()
    if connection.closed:
        return
    connection.execute("ROLLBACK" if name is None else f"ROLLBACK TO SAVEPOINT {name}")
    if name is not None:
        connection.execute(f"RELEASE SAVEPOINT {name}")
    with suppress(Error):  # (answered now: psycopg reacts to a rollback's answer by forgetting, later)
        pipeline.sync()
    _forget_prepared(connection)


class PostgresSaveTransaction:
    """A save's transaction as its derived writes see it (projections.save_batches'
    `SaveTransaction`): a cursor in the read models' SQL (`$1` placeholders, tuple rows),
    and the log read within the transaction, which holds the events table's lock."""

    def __init__(self, connection: Connection[DictRow], pipeline: Pipeline,
                 recorder: PostgresProcessRecorder) -> None:
        self._connection = connection
        self._pipeline = pipeline
        self._recorder = recorder
        self.cursor = self.new_cursor()

    def new_cursor(self) -> RawCursor[tuple[Any, ...]]:
        return RawCursor(self._connection, row_factory=tuple_row)

    def savepoint(self) -> AbstractContextManager[None]:
        # Left for the commit to release: a later savepoint of the same name hides it, and
        # rolling back to the derived writes' own savepoint drops it with them.
        return savepoint(self._connection, self._pipeline, "rigd_batch", released=False)

    def notifications(self, start: int, stop: int, topics: Sequence[str], limit: int) -> list[Notification]:
        """The notifications from `start` to `stop` (inclusive) of these topics, at most `limit`."""
        statement = SQL(
            "SELECT * FROM {0}.{1} WHERE notification_id >= %s AND notification_id <= %s AND topic = ANY(%s)"
            " ORDER BY notification_id LIMIT %s"
        ).format(Identifier(self._recorder.datastore.schema), Identifier(self._recorder.events_table_name))
        with self._connection.cursor() as curs:
            curs.execute(statement, (start, stop, list(topics), limit), prepare=True)
            return [
                Notification(id=row["notification_id"], originator_id=row["originator_id"],
                             originator_version=row["originator_version"], topic=row["topic"],
                             state=bytes(row["state"]))
                for row in curs.fetchall()
            ]


def _in_order(events: Iterable[StoredEvent]) -> list[StoredEvent]:
    return sorted(events, key=lambda event: (str(event.originator_id), event.originator_version))


class RigdSQLiteProcessRecorder(SQLiteProcessRecorder):
    def select_events_after(self, versions: Sequence[tuple[UUID, int]]) -> list[StoredEvent]:
        """The events of several aggregates, each after its version, in one query (ordered
        by aggregate, then version)."""
        one = f"SELECT * FROM {self.events_table_name} WHERE originator_id=? AND originator_version>?"
        with self.datastore.transaction(commit=False) as c:
            c.execute(" UNION ALL ".join([one] * len(versions)),
                      [value for aggregate_id, version in versions for value in (aggregate_id.hex, version)])
            rows = c.fetchall()
        return _in_order(StoredEvent(originator_id=self.convert_originator_id(row["originator_id"]),
                                     originator_version=row["originator_version"], topic=row["topic"],
                                     state=row["state"]) for row in rows)

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        bounds = current_bounds()
        bounds.check()
        returning = self._insert_tracked(c, stored_events, **kwargs)
        bounds.check()  # the write lock may have taken long: roll back rather than commit late
        return returning

    def _insert_tracked(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        tracking: Tracking | None = kwargs.get("tracking")
        after: int | None = kwargs.get(TRACKING_AFTER)
        if tracking is None or after is None:
            return super()._insert_events(c, stored_events, **kwargs)
        returning = super()._insert_events(c, stored_events, **{**kwargs, "tracking": None})
        c.execute(
            "INSERT INTO tracking (application_name, notification_id) VALUES (:name, :end)"
            " ON CONFLICT (application_name) DO UPDATE SET notification_id = :end"
            " WHERE tracking.notification_id = :after RETURNING notification_id",
            {"name": tracking.application_name, "end": tracking.notification_id, "after": after},
        )
        _moved(tracking, after, c.fetchone())
        return returning


# The setting that gives rigd's factory the whole libpq connection string (every parameter
# of `database_url`: sslmode, sslrootcert, application_name, options, ...). The library's
# own datastore builds its connections from five separate fields and would drop the rest.
POSTGRES_CONNINFO = "POSTGRES_CONNINFO"


class RigdPostgresFactory(PostgresFactory):
    """The library's PostgreSQL factory, whose pool connects with the full connection string
    and follows rigd's pool rules (adapters.postgres_pools): bounded waits, failing fast
    while the database is known to be down, steady reconnection."""

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        conninfo = self.env.get(POSTGRES_CONNINFO)
        if not conninfo:
            raise OSError(f"rigd's PostgreSQL factory needs {POSTGRES_CONNINFO}")
        self.reachability = Reachability()
        library_pool = self.datastore.pool  # never opened: replaced before first use
        self.datastore.pool = BoundedEventsourcingPool(
            conninfo,
            self.reachability,
            connection_class=Connection[DictRow],
            kwargs={"row_factory": dict_row},
            min_size=min(2, library_pool.min_size),  # grows on demand: idle replicas hold few connections
            max_size=library_pool.max_size,
            open=False,
            configure=self.datastore.after_connect_func(),
            timeout=library_pool.timeout,
            max_waiting=library_pool.max_waiting,
            max_lifetime=library_pool.max_lifetime,
            name="event-store",
        )
