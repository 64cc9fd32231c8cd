"""The platform-wide docker registries (project.settings.Service: Settings.docker_registries).

One aggregate holds every registry: its host, a secret id, and its credentials sealed for
this aggregate and a field of that registry's own, so a sealed value copied to another
registry does not open. Hosts are unique (the aggregate decides), the credentials are
never shown: only the image commands open them, to log in to the registry."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.context import CommandContext
from rigd.domain.errors import AlreadyExists, InvalidArgument, NotFound
from rigd.domain.event_store import EventStore
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent
from rigd.domain.identity import stable_id
from rigd.domain.image_references import validate_registry_host
from rigd.domain.images import RegistryCredentials
from rigd.domain.naming import quoted
from rigd.domain.passwords import Sealer

REGISTRY_SETTINGS_ID = stable_id("registry-settings", "rigd")
MAX_CREDENTIAL_LENGTH = 16 * 1024


def credentials_field(secret_id: str) -> str:
    """The sealed field's name in its binding: one per registry."""
    return f"docker_registries/{secret_id}/credentials"


class RegistryAlreadyExists(AlreadyExists):
    def __init__(self, host: str) -> None:
        super().__init__(f"docker registry {quoted(host)} already exists")


class RegistryNotFound(NotFound):
    def __init__(self, host: str) -> None:
        super().__init__(f"docker registry {quoted(host)} not found")


@dataclass(frozen=True)
class DockerRegistry:
    """What may be shown of a registry: never its credentials."""

    secret_id: str
    host: str


@dataclass(frozen=True)
class AddRegistry:
    """An update adding a registry: `auth` (base64 of `user:password`, or of a docker config
    entry in JSON) or `credentials`."""

    host: str
    auth: str = ""
    credentials: RegistryCredentials | None = field(default=None, repr=False)


@dataclass(frozen=True)
class DeleteRegistry:
    host: str


RegistryUpdate = AddRegistry | DeleteRegistry


class RegistrySettings(AuditedAggregate):
    TOPIC = "registry-settings"
    snapshot_interval = 50  # one aggregate every registry change writes to

    class Created(AuditedCreated):
        TOPIC = "registry-settings.Created"

    class RegistryAdded(AuditedEvent):
        TOPIC = "registry-settings.RegistryAdded"
        secret_id: str
        host: str
        sealed_credentials: str

    class RegistryDeleted(AuditedEvent):
        TOPIC = "registry-settings.RegistryDeleted"
        secret_id: str
        host: str

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return REGISTRY_SETTINGS_ID

    @event(Created)
    def __init__(self) -> None:
        self.registries: dict[str, dict[str, str]] = {}  # by host: secret_id, sealed_credentials

    def add(self, host: str, secret_id: str, sealed_credentials: str) -> None:
        if host in self.registries:
            raise RegistryAlreadyExists(host)
        self._added(secret_id, host, sealed_credentials)

    def delete(self, host: str) -> None:
        registry = self.registries.get(host)
        if registry is None:
            raise RegistryNotFound(host)
        self._deleted(registry["secret_id"], host)

    def shown(self) -> list[DockerRegistry]:
        return [DockerRegistry(r["secret_id"], host) for host, r in self.registries.items()]

    @event(RegistryAdded)
    def _added(self, secret_id: str, host: str, sealed_credentials: str) -> None:
        self.registries[host] = {"secret_id": secret_id, "sealed_credentials": sealed_credentials}

    @event(RegistryDeleted)
    def _deleted(self, secret_id: str, host: str) -> None:
        del self.registries[host]


class RegistrySettingsCommands:
    """UpdateSettings, and the credentials the image commands log in with."""

    def __init__(self, store: EventStore, sealer: Sealer) -> None:
        self._store = store
        self._sealer = sealer

    def update(self, ctx: CommandContext, updates: Sequence[RegistryUpdate]) -> int:
        """Applies the updates in order, all or none; returns 0 when there were none."""
        checked = [_checked(update) for update in updates]
        if not checked:
            return 0
        sealed = {}  # sealed once, outside the decision: a retried decision records the same values
        for update in checked:
            if isinstance(update, AddRegistry) and update.credentials is not None:
                secret_id = str(uuid.uuid4())
                sealed[update.host] = (secret_id, self._seal(update.credentials, secret_id))

        def decide() -> int:
            settings = self._store.load(REGISTRY_SETTINGS_ID, RegistrySettings) or RegistrySettings()
            for update in checked:
                if isinstance(update, AddRegistry):
                    settings.add(update.host, *sealed[update.host])
                else:
                    settings.delete(update.host)
            return self._store.record(settings)

        return self._store.decide(ctx, decide)

    def credentials_for(self, registry: str) -> RegistryCredentials | None:
        """The opened credentials of `registry` (a normalized host), None when none are set."""
        settings = self._store.load(REGISTRY_SETTINGS_ID, RegistrySettings)
        entry = settings.registries.get(registry) if settings else None
        if entry is None:
            return None
        opened = self._sealer.open(entry["sealed_credentials"], REGISTRY_SETTINGS_ID,
                                   credentials_field(entry["secret_id"]))
        values = json.loads(opened)
        return RegistryCredentials(values["username"], values["password"], values.get("email", ""))

    def _seal(self, credentials: RegistryCredentials, secret_id: str) -> str:
        plain = json.dumps({"username": credentials.username, "password": credentials.password,
                            "email": credentials.email}).encode()
        return self._sealer.seal(plain, REGISTRY_SETTINGS_ID, credentials_field(secret_id))


def _checked(update: RegistryUpdate) -> RegistryUpdate:
    host = validate_registry_host(update.host)
    if isinstance(update, DeleteRegistry):
        return DeleteRegistry(host)
    credentials = update.credentials if update.credentials is not None else decode_auth(update.auth)
    if not credentials.username or not credentials.password:
        raise InvalidArgument(f"docker registry {quoted(host)} needs a username and a password")
    if len(credentials.username) + len(credentials.password) + len(credentials.email) > MAX_CREDENTIAL_LENGTH:
        raise InvalidArgument(f"the credentials of docker registry {quoted(host)} are too long")
    return AddRegistry(host, credentials=credentials)


def decode_auth(auth: str) -> RegistryCredentials:
    """`auth` as docker writes it: base64 of `user:password`, or of a config entry in JSON
    (`{"username", "password", "email"}` or `{"auth": base64 of user:password}`)."""
    if not auth:
        raise InvalidArgument("add_docker_registry needs auth or credentials")
    decoded = _base64(auth)
    if decoded.lstrip().startswith("{"):
        try:
            entry = json.loads(decoded)
        except ValueError:
            raise InvalidArgument("auth is base64 of neither 'user:password' nor a docker config entry") from None
        if not isinstance(entry, dict):
            raise InvalidArgument("auth holds JSON that is not a docker config entry")
        if entry.get("auth") and not entry.get("username"):
            inner = decode_auth(str(entry["auth"]))
            return RegistryCredentials(inner.username, inner.password, str(entry.get("email", "")))
        return RegistryCredentials(str(entry.get("username", "")), str(entry.get("password", "")),
                                   str(entry.get("email", "")))
    username, colon, password = decoded.partition(":")
    if not colon:
        raise InvalidArgument("auth is base64 of neither 'user:password' nor a docker config entry")
    return RegistryCredentials(username, password)


def _base64(text: str) -> str:
    try:
        return base64.b64decode(text.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidArgument("auth must be base64 ('user:password' or a docker config entry)") from None
