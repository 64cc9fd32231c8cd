"""The composition root: builds every part of rigd from Settings. Nothing else constructs them."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from eventsourcing.postgres import PostgresApplicationRecorder

from rigd.adapters.event_store_recorders import RigdPostgresFactory
from rigd.adapters.event_store_settings import (
    DatabaseUnreachable,
    SerialisingRecorder,
    StoreMisconfigured,
    check_inserts_serialise,
    check_postgres_reachable,
    create_postgres_schema,
    postgres_conninfo,
    postgres_settings,
    sqlite_settings,
)
from rigd.adapters.key_pairs import Ed25519KeyPairs
from rigd.adapters.leadership import (
    POSTGRES_CLOCK,
    POSTGRES_LOCK_WAIT,
    SQLITE_CLOCK,
    LeaseLeadership,
    ending_frozen_sessions,
)
from rigd.adapters.postgres_pools import Reachability
from rigd.adapters.postgres_wakeup import PostgresWakeup
from rigd.adapters.read_databases import PROGRESS_CHANNEL, PostgresReadDatabase, SQLiteReadDatabase
from rigd.adapters.secrets import Keyring
from rigd.adapters.sqlite_files import create_sqlite_schema, prepare_wal
from rigd.adapters.sqlite_watch import SQLiteChangeWatch
from rigd.domain.capsule_commands import CapsuleCommands
from rigd.domain.clusters import Clusters
from rigd.domain.context import CommandContext
from rigd.domain.environment_commands import EnvironmentCommands
from rigd.domain.errors import DomainError
from rigd.domain.event_store import EventStore
from rigd.domain.installation import INSTALLATION_ID, Installation, initialize_installation
from rigd.domain.project_commands import ProjectCommands
from rigd.projections.database import ReadDatabase
from rigd.projections.environments import EnvironmentQueries, EnvironmentsReadModel
from rigd.projections.projector import Projector
from rigd.projections.projects import ProjectQueries, ProjectsReadModel
from rigd.projections.read_your_writes import ReadYourWrites
from rigd.projections.relay import Relay
from rigd.projections.rollouts import RolloutsReadModel
from rigd.projections.sessions import SessionsReadModel
from rigd.projections.wakeup import Wakeup
from rigd.services.access import Gate, OpenGate
from rigd.services.authenticator import Authenticator
from rigd.services.capsule_parts import CapsuleParts, capsule_parts
from rigd.services.config import ConfigError, Settings
from rigd.services.deployer_parts import DeployerParts, deployer_parts
from rigd.services.identity_parts import (
    Access,
    Identity,
    access_parts,
    identity_parts,
    keyring_of,
    secret_keys,
    token_signing_keys,
)
from rigd.services.image_parts import ImageParts, image_parts
from rigd.services.live_parts import LiveParts, live_parts
from rigd.services.metrics import DeployerCollector, Metrics, ProgressCollector, RelayCollector
from rigd.services.rbac_gate import Authorizer, CachedGrants, CheckingGate, DirectoryGrants

if TYPE_CHECKING:
    from rigd.adapters.kafka_relay import KafkaSink

# The roles of a rigd process: `rigd serve` runs all that apply (the relay only when Kafka
# is configured); `--roles` picks some, so each can run as a service of its own.
ROLES = ("api", "projector", "relay", "deployer")
# The read models a caller's grants are read from (or depend on): cached grants are dropped
# when one of them moves, not on every batch (a Deploy moves only rollouts and capsules).
GRANT_READ_MODELS = ("roles", "groups", "users", "service_accounts")
# What `Rigd.start` runs unless told: the deployer drives a cluster (it starts processes on
# this machine with the local driver), so it runs only where asked (`rigd serve`, `rigd deployer`).
ROLES_WITHOUT_CLUSTER = ("api", "projector", "relay")


@dataclass
class Rigd:
    """Everything a running rigd is made of."""

    settings: Settings
    store: EventStore
    read_database: ReadDatabase
    projector: Projector
    projector_leadership: LeaseLeadership
    wakeup: Wakeup
    read_your_writes: ReadYourWrites
    keyring: Keyring
    clusters: Clusters
    projects: ProjectCommands
    environments: EnvironmentCommands
    project_queries: ProjectQueries
    environment_queries: EnvironmentQueries
    metrics: Metrics
    identity: Identity
    access: Access
    images: ImageParts
    capsules: CapsuleParts
    live: LiveParts  # the cluster drivers and the live capsule RPCs
    deployer: DeployerParts
    gate: Gate = field(default_factory=OpenGate)
    # whether the event store's database answers (set by services.health; the pools fail fast on it)
    reachability: Reachability = field(default_factory=Reachability)
    # the Kafka relay, when `kafka_bootstrap_servers` is set
    relay: Relay | None = None
    relay_leadership: LeaseLeadership | None = None
    relay_sink: KafkaSink | None = None
    _listeners: list[PostgresWakeup | SQLiteChangeWatch] = field(default_factory=list)
    _started: tuple[str, ...] = ()
    _closed: bool = False

    @property
    def started_roles(self) -> tuple[str, ...]:
        return self._started

    @property
    def authenticator(self) -> Authenticator:
        return self.access.authenticator

    def start(self, roles: Iterable[str] = ROLES_WITHOUT_CLUSTER) -> None:
        """Starts the followers of `roles` (after the schema exists and start-up records are
        written), and what wakes them, and readers waiting for their writes, on other
        processes' work."""
        self._started = tuple(roles)
        self.access.session_follower.start()  # every process: each checks tokens against its own view
        if "projector" in self._started:
            self.projector_leadership.start()
            self.projector.start()
        if "relay" in self._started and self.relay is not None and self.relay_leadership is not None:
            self.relay_leadership.start()
            self.relay.start()
        if "deployer" in self._started:
            self.deployer.start()
        listener: PostgresWakeup | SQLiteChangeWatch
        if self.settings.uses_postgres:
            listener = PostgresWakeup(postgres_conninfo(self.settings.database_url), {
                # (the payload is the save's last notification id: adapters.event_store_recorders)
                cast(PostgresApplicationRecorder, self.store.recorder).channel_name:
                    lambda payload: self.wakeup.signal_committed(int(payload) if payload.isdigit() else 0),
                PROGRESS_CHANNEL: self.projector.signal_moved,  # the payload names the read model
            })
        else:
            listener = SQLiteChangeWatch([
                (_events_path(self.settings), self.wakeup.signal),
                (_read_models_path(self.settings), self.projector.signal_moved),  # (every read model)
            ])
        listener.start()
        self._listeners.append(listener)

    def wait_for(self, notification_id: int, read_models: Iterable[str], deadline: float | None = None) -> bool:
        """Read-your-writes: True once the read models have applied `notification_id`,
        False if they have not within read_timeout (or by `deadline`, a time.monotonic()
        value); the change is saved either way."""
        return self.read_your_writes.wait_for(notification_id, read_models, deadline)

    def close(self) -> None:
        """Stops everything started and releases connections; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for listener in self._listeners:
            listener.stop()
        self.metrics.stop()
        if self.relay is not None and self.relay_leadership is not None:
            self.relay.stop()
            self.relay_leadership.stop()
        if self.relay_sink is not None:
            self.relay_sink.close()
        self.access.session_follower.stop()
        if "deployer" in self._started:
            self.deployer.stop()
        self.projector.stop()
        self.projector_leadership.stop()
        self.live.close()
        self.read_database.close()
        self.store.close()


def build(settings: Settings, announce: Callable[[str], None] | None = None) -> Rigd:
    """Builds rigd; creates schemas once, records the installation, seeds the configured
    environments and the built-in roles, and makes the first admin. `announce` shows the
    generated admin password once (standard error by default)."""
    wakeup = Wakeup()
    keys = secret_keys(settings)
    keyring = keyring_of(keys)
    signing_keys = token_signing_keys(settings)  # refuses a missing auth_secret before touching a database
    store, read_database = _stores(settings, wakeup)
    metrics = Metrics()
    leadership = _leadership(settings, read_database, "projector", metrics)
    projects_model, environments_model = ProjectsReadModel(), EnvironmentsReadModel()
    identity, identity_models = identity_parts(store, read_database, keyring, keys)
    capsule_commands = CapsuleCommands(store)
    images, image_models = image_parts(store, read_database, keyring, capsule_commands)
    capsules, capsule_models = capsule_parts(store, read_database, keyring, capsule_commands, images.commands)
    projector = Projector(store, read_database,
                          [projects_model, environments_model, *identity_models, SessionsReadModel(), *image_models,
                           *capsule_models],
                          wakeup,
                          leadership, progress=Wakeup(), fence=leadership.fence,
                          written_in_saves=_written_in_saves(settings))
    store.write_within_saves(projector.write_in_save, projector.writes_in_save)
    projector.prepare()
    project_queries = ProjectQueries(read_database, projects_model)
    environment_queries = EnvironmentQueries(read_database, project_queries, environments_model)
    live = live_parts(settings, project_queries, environment_queries, capsules.queries)
    rigd = Rigd(
        settings=settings,
        store=store,
        read_database=read_database,
        projector=projector,
        projector_leadership=leadership,
        wakeup=wakeup,
        read_your_writes=ReadYourWrites(
            projector.position, projector.progress, settings.read_timeout, metrics.count_read_timeout,
            projector.has_events, projector.apply_now),
        keyring=keyring,
        clusters=settings.clusters,
        projects=ProjectCommands(store, Ed25519KeyPairs(keyring), environment_queries, capsules.queries),
        environments=EnvironmentCommands(store, settings.clusters, environment_queries, capsules.rollout_queries),
        project_queries=project_queries,
        environment_queries=environment_queries,
        metrics=metrics,
        identity=identity,
        access=access_parts(settings, store, read_database, wakeup, identity, keyring, signing_keys,
                            projector.log_end),
        images=images,
        capsules=capsules,
        live=live,
        deployer=deployer_parts(live.drivers, store, keyring, capsules.rollout_queries, wakeup,
                                _leadership(settings, read_database, "deployer", metrics),
                                [cluster.cluster_id for cluster in settings.clusters.items], images.registry_settings),
        reachability=_reachability(store),
    )
    rigd.metrics.watch_progress(ProgressCollector(
        store.max_notification_id, projector.names, projector.position, {"projector": leadership.held}))
    process = rigd.deployer.process
    rigd.metrics.registry.register(DeployerCollector(process.position, process.queued, process.watched,
                                                     rigd.deployer.leadership.held))
    rigd.gate = checking_gate(rigd)
    _record_start_up(rigd, announce or _to_standard_error)
    # before serving: a restarted process refuses logged-out tokens from its first call
    rigd.access.session_follower.catch_up()
    if settings.kafka_bootstrap_servers:
        _add_relay(rigd)
    return rigd


def checking_gate(rigd: Rigd) -> CheckingGate:
    """Authentication and RBAC on every call: the caller from its credentials, its grants
    from the identity read models, cached until the projector moves (no setting turns it off)."""
    grants = CachedGrants(DirectoryGrants(rigd.identity.role_queries),
                          lambda: rigd.projector.moves_of(GRANT_READ_MODELS))
    return CheckingGate(rigd.authenticator, Authorizer(grants))


def _add_relay(rigd: Rigd) -> None:
    """The Kafka relay: one leader among replicas (role `relay`), its position in the
    event store's tracking table under the topic's name."""
    settings = rigd.settings
    installation = rigd.store.load(INSTALLATION_ID, Installation)
    source = f"//rigd/{installation.installation_id if installation else 'unknown'}"
    from rigd.adapters.kafka_relay import KafkaSink  # (loaded only when a relay is configured)

    rigd.relay_sink = KafkaSink(settings.kafka_bootstrap_servers, settings.kafka_topic, settings.kafka_partitions,
                                settings.kafka_replication_factor)
    rigd.relay_leadership = _leadership(settings, rigd.read_database, "relay", rigd.metrics)
    rigd.relay = Relay(rigd.store, rigd.relay_sink, source, rigd.wakeup, rigd.relay_leadership,
                       name=f"relay:{settings.kafka_topic}", load=rigd.store.repository.get)
    rigd.metrics.registry.register(RelayCollector(rigd.relay.position, rigd.relay.lag, rigd.relay.healthy,
                                                  rigd.relay_leadership.held))


def _written_in_saves(settings: Settings) -> tuple[str, ...]:
    """The read models a save writes in its own transaction (projections.save_batches): the
    rollouts, which every Deploy's answer waits for. Only where they share the event store's
    database (PostgreSQL); with SQLite they are in a file of their own."""
    return (RolloutsReadModel.name,) if settings.uses_postgres else ()


def _stores(settings: Settings, wakeup: Wakeup) -> tuple[EventStore, ReadDatabase]:
    """The event store (its tables created once, however many replicas start together)
    and the read-model database."""
    if settings.uses_postgres:
        try:
            check_postgres_reachable(settings.database_url)
        except DatabaseUnreachable as error:
            raise ConfigError(f"setting 'database_url': cannot use the database: {error}") from None
        store = EventStore(postgres_settings(settings.database_url), on_recorded=wakeup.signal)
        create_postgres_schema(settings.database_url, _table_creation(store, _serialising(store, settings)))
        # One view of the database's reachability for both pools: the health monitor sets it.
        read_database: ReadDatabase = PostgresReadDatabase(
            ending_frozen_sessions(postgres_conninfo(settings.database_url), after=settings.leader_lease),
            reachability=_reachability(store))
    else:
        events_path = _events_path(settings)
        prepare_wal(events_path)
        store = EventStore(sqlite_settings(events_path), on_recorded=wakeup.signal)
        create_sqlite_schema(events_path, _table_creation(store, _serialising(store, settings)))
        read_database = SQLiteReadDatabase(_read_models_path(settings))
    return store, read_database


class _CreatesTable(Protocol):
    def create_table(self) -> None: ...


def _table_creation(store: EventStore, recorder: SerialisingRecorder) -> Callable[[], None]:
    """Creates the events and tracking tables, and the snapshots table."""

    def create_tables() -> None:
        recorder.create_table()
        if store.snapshots is not None:
            cast(_CreatesTable, store.snapshots.recorder).create_table()

    return create_tables


def _reachability(store: EventStore) -> Reachability:
    """The event store pool's view of whether the database answers (a fresh one on SQLite)."""
    factory = store.factory
    return factory.reachability if isinstance(factory, RigdPostgresFactory) else Reachability()


def events_path(settings: Settings) -> Path:
    """The SQLite event store's file."""
    return _events_path(settings)


def _events_path(settings: Settings) -> Path:
    return settings.data_dir / "events.sqlite"


def _read_models_path(settings: Settings) -> Path:
    return settings.data_dir / "read-models.sqlite"


def _serialising(store: EventStore, settings: Settings) -> SerialisingRecorder:
    """The store's recorder, once it is known to commit inserts in notification-id order."""
    try:
        return check_inserts_serialise(store.recorder, settings.uses_postgres)
    except StoreMisconfigured as error:
        store.close()
        raise ConfigError(f"event store: {error}") from None


def _leadership(settings: Settings, database: ReadDatabase, role: str, metrics: Metrics) -> LeaseLeadership:
    """Leadership of `role` by a lease in the read database, on the database's clock."""
    clock = POSTGRES_CLOCK if settings.uses_postgres else SQLITE_CLOCK
    leadership = LeaseLeadership(database, role, clock, settings.leader_lease, on_fenced=metrics.count_fenced_batch,
                                 lock_wait=POSTGRES_LOCK_WAIT if settings.uses_postgres else "")
    leadership.prepare()
    return leadership


def _record_start_up(rigd: Rigd, announce: Callable[[str], None]) -> None:
    ctx = CommandContext(request_id=f"start-up-{uuid.uuid4().hex}")
    initialize_installation(rigd.store, ctx, str(uuid.uuid4()), rigd.settings.platform_version)
    try:
        rigd.environments.seed(ctx, rigd.settings.environments)
    except DomainError as error:
        raise ConfigError(f"setting 'environments': {error.message}") from None
    rigd.identity.roles.seed_built_ins(ctx)
    try:
        _, generated = rigd.identity.users.bootstrap_admin(
            ctx, rigd.settings.admin_email, rigd.settings.admin_password)
    except DomainError as error:
        raise ConfigError(f"settings 'admin_email' / 'admin_password': {error.message}") from None
    if generated:
        announce(f"admin user: {rigd.settings.admin_email} password: {generated}")


def _to_standard_error(line: str) -> None:
    """The one place the generated admin password is shown: never logged, never stored."""
    print(line, file=sys.stderr, flush=True)
