"""Service accounts: machines that log in with a client id and secret. The id is a random
UUID, the client id `rig_<uuid>`, and the secret `secret_<64 hex>` is shown once: only a
keyed digest of it is recorded."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.context import CommandContext
from rigd.domain.errors import InvalidArgument, NotFound
from rigd.domain.event_store import EventStore
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent
from rigd.domain.naming import quoted, validate_display_name
from rigd.domain.passwords import SecretDigests

if TYPE_CHECKING:
    from rigd.domain.group_commands import GroupCommands

CLIENT_ID_PREFIX = "rig_"
SECRET_PREFIX = "secret_"
INVALID_CLIENT_ID = "invalid client-ID format"


class ServiceAccountNotFound(NotFound):
    def __init__(self, service_account_id: str) -> None:
        super().__init__(f"service account {quoted(service_account_id)} not found")


class ServiceAccount(AuditedAggregate):
    TOPIC = "service-account"

    class Created(AuditedCreated):
        TOPIC = "service-account.Created"
        name: str
        secret_digest: str  # a keyed digest of the secret, never the secret
        managed: bool

    class Deleted(AuditedEvent):
        TOPIC = "service-account.Deleted"

    @event(Created)
    def __init__(self, name: str, secret_digest: str, managed: bool) -> None:
        self.name = name
        self.secret_digest = secret_digest
        self.managed = managed
        self.deleted = False

    @property
    def service_account_id(self) -> str:
        return str(self.id)

    @property
    def client_id(self) -> str:
        return client_id_of(self.id)

    def delete(self) -> None:
        if self.deleted:
            raise ServiceAccountNotFound(self.service_account_id)
        self._deleted()

    @event(Deleted)
    def _deleted(self) -> None:
        self.deleted = True


def client_id_of(service_account_id: UUID) -> str:
    return f"{CLIENT_ID_PREFIX}{service_account_id}"


def parse_client_id(client_id: str) -> UUID:
    """The service account id in a client id; InvalidArgument when it is not `rig_<uuid>`."""
    if not client_id.startswith(CLIENT_ID_PREFIX):
        raise InvalidArgument(INVALID_CLIENT_ID)
    try:
        return UUID(client_id[len(CLIENT_ID_PREFIX):])
    except ValueError:
        raise InvalidArgument(INVALID_CLIENT_ID) from None


def new_secret() -> str:
    return f"{SECRET_PREFIX}{secrets.token_hex(32)}"


class ServiceAccountCommands:
    def __init__(self, store: EventStore, digests: SecretDigests, groups: GroupCommands) -> None:
        self._store = store
        self._digests = digests
        self._groups = groups

    def create(
        self, ctx: CommandContext, name: str, initial_group_id: str = "", managed: bool = False
    ) -> tuple[int, ServiceAccount, str]:
        """Creates an account; returns (notification id, the account, its secret: shown once)."""
        validate_display_name(name, "name")
        secret = new_secret()
        digest = self._digests.digest(secret)

        def decide() -> tuple[int, ServiceAccount, str]:
            account = ServiceAccount(name, digest, managed)
            joined: Sequence[AuditedAggregate] = ()
            if initial_group_id:
                joined = [self._groups.joining(initial_group_id, "service_account", account.service_account_id)]
            return self._store.record(account, *joined), account, secret

        return self._store.decide(ctx, decide)

    def delete(self, ctx: CommandContext, service_account_id: str) -> int:
        def decide() -> int:
            account = self.load_live(service_account_id)
            account.delete()
            return self._store.record(account)

        return self._store.decide(ctx, decide)

    def load_live(self, service_account_id: str) -> ServiceAccount:
        try:
            account = self._store.load(UUID(service_account_id), ServiceAccount)
        except (ValueError, TypeError):
            account = None
        if account is None or account.deleted:
            raise ServiceAccountNotFound(service_account_id)
        return account

    def by_client_id(self, client_id: str) -> ServiceAccount:
        """The live account of `client_id`: InvalidArgument "invalid client-ID format" for a
        malformed one, ServiceAccountNotFound for an unknown or deleted one."""
        return self.load_live(str(parse_client_id(client_id)))

    def check_secret(self, client_id: str, secret: str) -> str | None:
        """The service account id when `secret` is the live account's secret, else None
        (InvalidArgument for a malformed client id)."""
        parse_client_id(client_id)
        try:
            account = self.by_client_id(client_id)
        except ServiceAccountNotFound:
            return None
        return account.service_account_id if self._digests.matches(secret, account.secret_digest) else None
