"""The composition root: builds every part of rigd from Settings. Nothing else constructs them."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from eventsourcing.postgres import PostgresApplicationRecorder

from rigd.adapters.event_store_settings import (
    DatabaseUnreachable,
    check_postgres_reachable,
    create_postgres_schema,
    postgres_conninfo,
    postgres_settings,
    sqlite_settings,
)
from rigd.adapters.key_pairs import Ed25519KeyPairs
from rigd.adapters.leadership import FileLeadership, PostgresLeadership
from rigd.adapters.postgres_wakeup import PostgresWakeup
from rigd.adapters.read_databases import PostgresReadDatabase, SQLiteReadDatabase
from rigd.adapters.secrets import Keyring, SecretKeyError, load_or_create_key_file, parse_key
from rigd.domain.clusters import Clusters
from rigd.domain.context import CommandContext
from rigd.domain.environment_commands import EnvironmentCommands
from rigd.domain.errors import DomainError, Unavailable
from rigd.domain.event_store import EventStore
from rigd.domain.installation import initialize_installation
from rigd.domain.project_commands import ProjectCommands
from rigd.projections.database import ReadDatabase
from rigd.projections.environments import EnvironmentQueries, EnvironmentsReadModel
from rigd.projections.projector import Projector
from rigd.projections.projects import ProjectQueries, ProjectsReadModel
from rigd.projections.wakeup import Wakeup
from rigd.services.access import Gate, OpenGate
from rigd.services.config import ConfigError, Settings
from rigd.services.metrics import Metrics, ProgressCollector


@dataclass
class Rigd:
    """Everything a running rigd is made of."""

    settings: Settings
    store: EventStore
    read_database: ReadDatabase
    projector: Projector
    projector_leadership: PostgresLeadership | FileLeadership
    wakeup: Wakeup
    keyring: Keyring
    clusters: Clusters
    projects: ProjectCommands
    environments: EnvironmentCommands
    project_queries: ProjectQueries
    environment_queries: EnvironmentQueries
    metrics: Metrics
    gate: Gate = field(default_factory=OpenGate)
    _listeners: list[PostgresWakeup] = field(default_factory=list)
    _closed: bool = False

    def start(self) -> None:
        """Starts the followers (after the schema exists and start-up records are written)."""
        self.projector_leadership.start()
        self.projector.start()
        if self.settings.uses_postgres:
            listener = PostgresWakeup(
                postgres_conninfo(self.settings.database_url),
                cast(PostgresApplicationRecorder, self.store.recorder).channel_name,
                self.wakeup.signal,
            )
            listener.start()
            self._listeners.append(listener)

    def wait_for(self, notification_id: int, read_models: Sequence[str], deadline: float | None = None) -> bool:
        """Read-your-writes: True once the read models applied `notification_id`; False when
        the wait (bounded by the read timeout and `deadline`) ran out."""
        timeout = self.settings.read_timeout
        if deadline is not None:
            timeout = min(timeout, max(0.0, deadline - time.monotonic()))
        try:
            self.projector.wait_for(notification_id, read_models, timeout)
        except Unavailable:
            return False
        return True

    def close(self) -> None:
        """Stops everything started and releases connections; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for listener in self._listeners:
            listener.stop()
        self.metrics.stop()
        self.projector.stop()
        self.projector_leadership.stop()
        self.read_database.close()
        self.store.close()


def build(settings: Settings) -> Rigd:
    """Builds rigd; creates schemas once, records the installation and seeds the configured environments."""
    wakeup = Wakeup()
    keyring = _keyring(settings)
    if settings.uses_postgres:
        try:
            check_postgres_reachable(settings.database_url)
        except DatabaseUnreachable as error:
            raise ConfigError(f"setting 'database_url': cannot use the database: {error}") from None
        store = EventStore(postgres_settings(settings.database_url), on_recorded=wakeup.signal)
        create_postgres_schema(settings.database_url, cast(PostgresApplicationRecorder, store.recorder).create_table)
        read_database: ReadDatabase = PostgresReadDatabase(postgres_conninfo(settings.database_url))
    else:
        store = EventStore(sqlite_settings(settings.data_dir / "events.sqlite"), on_recorded=wakeup.signal)
        read_database = SQLiteReadDatabase(settings.data_dir / "read-models.sqlite")
    leadership = _leadership(settings, "projector")
    projector = Projector(store, read_database, [ProjectsReadModel(), EnvironmentsReadModel()], wakeup, leadership)
    projector.prepare()
    project_queries = ProjectQueries(read_database)
    rigd = Rigd(
        settings=settings,
        store=store,
        read_database=read_database,
        projector=projector,
        projector_leadership=leadership,
        wakeup=wakeup,
        keyring=keyring,
        clusters=settings.clusters,
        projects=ProjectCommands(store, Ed25519KeyPairs(keyring)),
        environments=EnvironmentCommands(store, settings.clusters),
        project_queries=project_queries,
        environment_queries=EnvironmentQueries(read_database, project_queries),
        metrics=Metrics(),
    )
    rigd.metrics.watch_progress(ProgressCollector(
        store.max_notification_id, projector.names, projector.position, {"projector": leadership.held}))
    _record_start_up(rigd)
    return rigd


def _leadership(settings: Settings, role: str) -> PostgresLeadership | FileLeadership:
    if settings.uses_postgres:
        return PostgresLeadership(postgres_conninfo(settings.database_url), role)
    return FileLeadership(settings.data_dir / f"{role}.leader", role)


def _keyring(settings: Settings) -> Keyring:
    """The current key (configured, or the generated key file of the embedded default) and the retired ones."""
    try:
        if settings.secret_key:
            current = parse_key(settings.secret_key)
        else:
            current = load_or_create_key_file(settings.data_dir / "secret.key")
    except ValueError as error:  # the message never repeats the key
        raise ConfigError(f"setting 'secret_key': {error}") from None
    try:
        return Keyring(current, [parse_key(key) for key in settings.retired_secret_keys])
    except SecretKeyError as error:
        raise ConfigError(f"setting 'retired_secret_keys': {error}") from None


def _record_start_up(rigd: Rigd) -> None:
    ctx = CommandContext(request_id=f"start-up-{uuid.uuid4().hex}")
    initialize_installation(rigd.store, ctx, str(uuid.uuid4()), rigd.settings.platform_version)
    try:
        rigd.environments.seed(ctx, rigd.settings.environments)
    except DomainError as error:
        raise ConfigError(f"setting 'environments': {error.message}") from None
