"""The service accounts read model and its queries (never a secret or its digest)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rigd.domain.context import Actor
from rigd.domain.groups import SERVICE_ACCOUNT
from rigd.domain.service_accounts import ServiceAccount, client_id_of
from rigd.projections.database import Cursor, ReadDatabase
from rigd.projections.groups import GroupQueries
from rigd.projections.read_model import ReadModel, from_micros, handles, micros


@dataclass(frozen=True)
class ServiceAccountView:
    service_account_id: str
    name: str
    client_id: str
    managed: bool
    created_by: Actor
    created_at: datetime
    group_ids: list[str]


class ServiceAccountsReadModel(ReadModel):
    name = "service_accounts"
    version = 1
    tables = ("rm_service_accounts",)

    @property
    def accounts(self) -> str:
        return self.table("rm_service_accounts")

    def create_tables(self, cursor: Cursor) -> None:
        cursor.execute(
            f"CREATE TABLE {self.accounts} (service_account_id TEXT PRIMARY KEY, name TEXT NOT NULL,"
            " client_id TEXT NOT NULL, managed INTEGER NOT NULL, created_by_identifier TEXT NOT NULL,"
            " created_by_name TEXT NOT NULL, created_by_user_id TEXT NOT NULL,"
            " created_by_service_account_id TEXT NOT NULL, created_at BIGINT NOT NULL, sequence BIGINT NOT NULL,"
            " deleted INTEGER NOT NULL)")
        cursor.execute(f"CREATE INDEX {self.accounts}_listing ON {self.accounts} (deleted, sequence)")

    @handles(ServiceAccount.Created)
    def _created(self, event: ServiceAccount.Created, notification_id: int, cursor: Cursor) -> None:
        actor = event.actor
        cursor.execute(
            f"INSERT INTO {self.accounts} (service_account_id, name, client_id, managed, created_by_identifier,"
            " created_by_name, created_by_user_id, created_by_service_account_id, created_at, sequence, deleted)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0)",
            (str(event.originator_id), event.name, client_id_of(event.originator_id), int(event.managed),
             actor.identifier, actor.printable_name, actor.user_id, actor.service_account_id,
             micros(event.timestamp), notification_id))

    @handles(ServiceAccount.Deleted)
    def _deleted(self, event: ServiceAccount.Deleted, notification_id: int, cursor: Cursor) -> None:
        cursor.execute(f"UPDATE {self.accounts} SET deleted = 1 WHERE service_account_id = $1",
                       (str(event.originator_id),))


_COLUMNS = ("service_account_id, name, client_id, managed, created_by_identifier, created_by_name,"
            " created_by_user_id, created_by_service_account_id, created_at")


def _view(row: tuple[Any, ...], group_ids: list[str]) -> ServiceAccountView:
    return ServiceAccountView(row[0], row[1], row[2], bool(row[3]), Actor(row[4], row[5], row[6], row[7]),
                              from_micros(row[8]), group_ids)


class ServiceAccountQueries:
    read_models = ("service_accounts", "groups")

    def __init__(
        self, database: ReadDatabase, groups: GroupQueries, model: ServiceAccountsReadModel | None = None
    ) -> None:
        self._database = database
        self._groups = groups
        self._model = model or ServiceAccountsReadModel()

    def all(self) -> list[ServiceAccountView]:
        """Every live account in creation order (service_account.List has no pagination)."""
        with self._database.snapshot() as cursor:
            accounts = self._model.live(cursor).accounts
            cursor.execute(f"SELECT {_COLUMNS} FROM {accounts} WHERE deleted = 0 ORDER BY sequence")
            rows = cursor.fetchall()
            groups = self._groups.group_names_of(cursor, SERVICE_ACCOUNT, [row[0] for row in rows])
        return [_view(row, groups[row[0]]) for row in rows]

    def get_many(self, ids: list[str]) -> dict[str, ServiceAccountView]:
        wanted = set(ids)
        return {view.service_account_id: view for view in self.all() if view.service_account_id in wanted}

    def by_client_id(self, client_id: str) -> ServiceAccountView | None:
        with self._database.snapshot() as cursor:
            accounts = self._model.live(cursor).accounts
            cursor.execute(f"SELECT {_COLUMNS} FROM {accounts} WHERE client_id = $1 AND deleted = 0", (client_id,))
            row = cursor.fetchone()
            if row is None:
                return None
            return _view(row, self._groups.group_names_of(cursor, SERVICE_ACCOUNT, [row[0]])[row[0]])
