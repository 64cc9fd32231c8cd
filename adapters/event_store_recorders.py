"""eventsourcing's process recorders, with tracking as compare-and-set.

The library records a follower's position (`Tracking`) only if it is higher than the
stored one. That suffices when each position is one event, but a follower handles
batches: two followers starting from the same position may end at different ones, and
the later would repeat the earlier's reactions. So when the save says where its batch
started (`tracking_after`), the position moves only from exactly there, in the same
transaction as the reaction's events; otherwise the save fails with IntegrityError."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent, Tracking
from eventsourcing.postgres import PostgresProcessRecorder
from eventsourcing.sqlite import SQLiteCursor, SQLiteProcessRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from rigd.domain.event_store import TRACKING_AFTER


def _moved(tracking: Tracking, after: int, row: object) -> None:
    if row is None:
        raise IntegrityError(
            f"{tracking.application_name} is no longer at {after}: another follower recorded this batch"
        )


class RigdPostgresProcessRecorder(PostgresProcessRecorder):
    def _insert_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
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


class RigdSQLiteProcessRecorder(SQLiteProcessRecorder):
    def _insert_events(
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
