"""The Kafka relay against a real Kafka-protocol broker (Tansu): every recorded event reaches
the topic as documented, in order per key, and no secret ever does; the position moves only
after the broker acknowledged, so a broker outage loses nothing."""

from __future__ import annotations

import base64
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import grpc
import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from grpc_health.v1 import health_pb2, health_pb2_grpc

from rigd.adapters.key_pairs import Ed25519KeyPairs
from rigd.domain.context import Actor, CommandContext
from rigd.domain.environment_commands import EnvironmentSpec
from rigd.domain.projects import Project
from rigd.projections.event_catalog import CATALOG, ENVELOPE
from rigd.projections.integration_events import event_classes, event_type, public_fields, public_value
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from tests.conftest import serving
from tests.e2e.processes import BIN, clean_environment
from tests.kafka_broker import Broker

ADA = Actor("ada@example.com", "Ada", user_id="u-ada")
BOB = Actor("bob@example.com", "Bob", user_id="u-bob")
WAIT = 60.0


def eventually(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def scripted_history(rigd: Rigd, prefix: str = "") -> None:
    """Projects and environments created, renamed, deleted and revived, by two actors."""
    ada, bob = CommandContext(actor=ADA, request_id=f"{prefix}req-ada"), CommandContext(actor=BOB)
    rigd.clusters  # noqa: B018  # the configured clusters: `local`
    rigd.environments.create(ada, EnvironmentSpec(f"{prefix}prod", cluster_id="local", default=True))
    rigd.environments.create(bob, EnvironmentSpec(f"{prefix}staging", cluster_id="local"))
    for n in range(3):
        rigd.projects.create(ada, f"{prefix}shop-{n}", [f"Shop {n}"])
    rigd.projects.rename(bob, f"{prefix}shop-0", ["Shop zero", "Shop nought"])
    rigd.projects.delete(ada, f"{prefix}shop-1")
    rigd.projects.create(bob, f"{prefix}shop-1", ["Shop one, again"])
    rigd.environments.set_default(bob, f"{prefix}staging", [True])
    rigd.environments.delete(ada, f"{prefix}prod", force=True)


@pytest.fixture
def relaying(settings: Settings, kafka_broker: Broker) -> Iterator[Rigd]:
    instance = build(replace(settings, kafka_bootstrap_servers=kafka_broker.bootstrap, kafka_topic="rigd.events"))
    instance.start()
    try:
        yield instance
    finally:
        instance.close()


def relayed(rigd: Rigd) -> bool:
    assert rigd.relay is not None
    return rigd.relay.position() >= rigd.store.max_notification_id()


def recorded(rigd: Rigd) -> list[tuple[int, Any]]:
    """Every recorded event with its notification id, in log order."""
    notifications = rigd.store.recorder.select_notifications(start=1, limit=100_000)
    return [(n.id, rigd.store.mapper.to_domain_event(n)) for n in notifications]


def test_every_event_reaches_the_topic_as_documented_in_order_per_key(relaying: Rigd, kafka_broker: Broker) -> None:
    scripted_history(relaying)
    eventually(lambda: relayed(relaying), "the relay to pass the last event")
    events = recorded(relaying)
    messages = kafka_broker.messages("rigd.events", expected=len(events))

    by_id = {m["value"]["id"]: m for m in messages}
    assert len(by_id) == len(messages) == len(events)  # a run without failures sends each event once
    documented = {name for name, _ in ENVELOPE}
    types = {event_type(cls): cls for cls in event_classes()}
    for notification_id, event in events:
        message = by_id[f"{event.originator_id}/{event.originator_version}"]
        value = message["value"]
        assert message["key"] == str(event.originator_id) == value["aggregateid"]
        assert set(value) <= documented and value["specversion"] == "1.0"
        assert types[value["type"]] is type(event) and type(event).TOPIC in CATALOG
        assert value["notificationid"] == notification_id and value["aggregateversion"] == event.originator_version
        assert value["actor"] == event.actor.identifier and value["requestid"] == event.request_id
        assert value["time"] == event.timestamp.isoformat()
        assert value["data"] == {name: public_value(getattr(event, name)) for name in public_fields(type(event))}
    subjects = {m["value"].get("subject") for m in messages}
    assert {"project/shop-0", "environment/prod", "environment/staging"} <= subjects
    renamed = [m["value"] for m in messages if m["value"]["type"] == "dev.rig.project.Renamed.v2"]
    assert renamed[0]["subject"] == "project/shop-0"  # learned from the project's creation

    # Per key, in each partition's order, aggregate versions strictly increase.
    for key in {m["key"] for m in messages}:
        ordered = sorted((m for m in messages if m["key"] == key), key=lambda m: m["offset"])
        assert len({m["partition"] for m in ordered}) == 1
        versions = [m["value"]["aggregateversion"] for m in ordered]
        assert versions == sorted(set(versions)) and versions[0] == 1


def planted_secrets(rigd: Rigd) -> list[bytes]:
    """What must never leave rigd: each project's private key (in clear and sealed), the
    secret key, and the database password. Sealed values are found generically: any
    attribute of any recorded event whose name says it is secret."""
    secrets = [rigd.settings.secret_key.encode()] if rigd.settings.secret_key else []
    secrets.append(rigd.keyring.key_ids[0].encode() + b":")  # sealed text names its key
    for _, event in recorded(rigd):
        for name, value in vars(event).items():
            if isinstance(value, str) and any(word in name for word in ("sealed", "secret", "password")):
                secrets.append(value.encode())
        if isinstance(event, Project.Created | Project.Recreated):
            der = Ed25519KeyPairs(rigd.keyring).open_private_key(event.sealed_private_key, event.originator_id)
            pem = serialization.load_der_private_key(der, None).private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            body = b"".join(pem.splitlines()[1:-1])  # the PEM's base64, however a leak would wrap it
            secrets += [base64.b64encode(der), der.hex().encode(), body[:40], body[-40:]]
    return secrets


def test_no_published_message_holds_a_secret(relaying: Rigd, kafka_broker: Broker) -> None:
    scripted_history(relaying)
    eventually(lambda: relayed(relaying), "the relay to pass the last event")
    messages = kafka_broker.messages("rigd.events", expected=len(recorded(relaying)))
    secrets = planted_secrets(relaying)
    assert len(secrets) > 8
    for message in messages:
        for secret in secrets:
            assert secret not in message["raw"], f"a secret was published in {message['value']['id']}"
    created = next(m["value"] for m in messages if m["value"]["type"] == "dev.rig.project.Created.v2")
    assert "sealed_private_key" not in created["data"] and created["data"]["public_key"].startswith("-----BEGIN")


def relay_health(channel: grpc.Channel) -> str:
    """What the gRPC health service answers for the relay (`rigd.relay`), and for the API."""
    stub = health_pb2_grpc.HealthStub(channel)
    relay = stub.Check(health_pb2.HealthCheckRequest(service="rigd.relay"), timeout=5).status
    api = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=5).status
    return f"{health_pb2.HealthCheckResponse.ServingStatus.Name(relay)}/" \
           f"{health_pb2.HealthCheckResponse.ServingStatus.Name(api)}"


def test_broker_down_holds_the_position_reports_unhealthy_and_resumes(relaying: Rigd, kafka_broker: Broker) -> None:
    relay = relaying.relay
    assert relay is not None
    scripted_history(relaying, "a-")
    eventually(lambda: relayed(relaying), "the relay to pass the first events")
    assert relay.healthy()
    before = relay.position()

    with serving(relaying, authorization=None) as channel:  # health needs no credentials
        eventually(lambda: relay_health(channel) == "SERVING/SERVING", "health to say the relay delivers")
        kafka_broker.freeze()
        try:
            scripted_history(relaying, "b-")
            eventually(lambda: not relay.healthy(), "the relay to report the broker down")
            # The relay answers NOT_SERVING as `rigd.relay`; the API itself still serves.
            eventually(lambda: relay_health(channel) == "NOT_SERVING/SERVING", "health to report the relay down")
            assert relay.position() == before and relay.lag() > 0
            time.sleep(2)  # several retries: the position still holds
            assert relay.position() == before
        finally:
            kafka_broker.thaw()
        eventually(lambda: relayed(relaying), "the relay to catch up after the broker returned")
        eventually(relay.healthy, "the relay to report itself healthy again")
        eventually(lambda: relay_health(channel) == "SERVING/SERVING", "health to say the relay delivers again")

    events = recorded(relaying)
    messages = kafka_broker.messages("rigd.events", expected=len(events))
    ids = {m["value"]["id"] for m in messages}
    assert ids == {f"{e.originator_id}/{e.originator_version}" for _, e in events}
    first_seen: dict[str, list[int]] = {}
    for message in sorted(messages, key=lambda m: (m["partition"], m["offset"])):
        versions = first_seen.setdefault(message["key"], [])
        if message["value"]["aggregateversion"] not in versions:
            versions.append(message["value"]["aggregateversion"])
    assert all(versions == sorted(versions) for versions in first_seen.values())


class RelayProcess:
    """`rigd relay` as a process of its own, on the test's store."""

    def __init__(self, settings: Settings, broker: Broker, workdir: Path) -> None:
        config = workdir / "relay.yaml"
        config.write_text("environments: {}\n")
        environment = clean_environment(
            RIGD_CONFIG=str(config), RIGD_DATA_DIR=str(settings.data_dir), RIGD_DATABASE_URL=settings.database_url,
            RIGD_SECRET_KEY=settings.secret_key, RIGD_AUTH_SECRET=settings.auth_secret,
            RIGD_KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap,
            RIGD_METRICS_LISTEN="", RIGD_LEADER_LEASE="1")
        self.log = workdir / f"relay-{time.monotonic_ns()}.log"
        with self.log.open("w") as output:
            self.process = subprocess.Popen([str(BIN / "rigd"), "relay"], env=environment, stdout=output,
                                            stderr=subprocess.STDOUT)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


@contextmanager
def position_store_blocked(rigd: Rigd) -> Iterator[None]:
    """Holds a lock that makes storing a tracked position wait (reads go on): on SQLite the
    event store's write lock, on PostgreSQL an exclusive lock on the tracking table."""
    if rigd.settings.uses_postgres:
        table = rigd.store.process_recorder.tracking_table_name  # type: ignore[attr-defined]
        with psycopg.connect(rigd.settings.database_url) as connection:
            connection.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
            yield
            connection.rollback()
    else:
        connection = sqlite3.connect(rigd.settings.data_dir / "events.sqlite", isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield
            connection.execute("ROLLBACK")
        finally:
            connection.close()


def test_sigkill_between_publish_and_position_store_duplicates_only_the_last_batch(
        rigd: Rigd, kafka_broker: Broker, tmp_path: Path) -> None:
    tracking = "relay:rigd.events"
    scripted_history(rigd, "a-")
    relay = RelayProcess(rigd.settings, kafka_broker, tmp_path)
    try:
        eventually(lambda: rigd.store.tracked_position(tracking) >= rigd.store.max_notification_id(),
                   "the relay to store its position past the first events")
        stored = rigd.store.tracked_position(tracking)
        first = len(recorded(rigd))
        eventually(lambda: len(kafka_broker.messages("rigd.events", expected=first)) >= first, "the first events")

        relay.process.send_signal(signal.SIGSTOP)  # so that it sees the next batch only once the lock is held
        scripted_history(rigd, "b-")
        last_batch = {f"{e.originator_id}/{e.originator_version}" for n, e in recorded(rigd) if n > stored}
        with position_store_blocked(rigd):
            relay.process.send_signal(signal.SIGCONT)
            # Published (acknowledged by the broker), but its position cannot be stored yet.
            eventually(lambda: len(kafka_broker.messages("rigd.events")) >= first + len(last_batch),
                       "the relay to publish the last batch")
            relay.kill()
        assert rigd.store.tracked_position(tracking) == stored
    finally:
        relay.stop()

    restarted = RelayProcess(rigd.settings, kafka_broker, tmp_path)
    try:
        eventually(lambda: rigd.store.tracked_position(tracking) >= rigd.store.max_notification_id(),
                   "the restarted relay to store its position")
    finally:
        restarted.stop()
    events = recorded(rigd)
    messages = kafka_broker.messages("rigd.events", expected=len(events) + len(last_batch))
    ids = [m["value"]["id"] for m in messages]
    assert set(ids) == {f"{e.originator_id}/{e.originator_version}" for _, e in events}  # none missing
    duplicated = {event_id for event_id in ids if ids.count(event_id) > 1}
    assert duplicated and duplicated <= last_batch  # only the unacknowledged batch came again
    for message in messages:  # a duplicate is the same event: same id, same content
        same = [m["raw"] for m in messages if m["value"]["id"] == message["value"]["id"]]
        assert all(raw == same[0] for raw in same)


def test_roles_split_across_processes_share_the_work(settings: Settings, kafka_broker: Broker) -> None:
    """The api role alone neither projects nor relays; a projector-only and a relay-only
    rigd on the same store do their parts (as the compose file's services)."""
    kafka = replace(settings, kafka_bootstrap_servers=kafka_broker.bootstrap)
    api = build(kafka)
    api.start(("api",))
    projector, relay = build(kafka), build(kafka)
    try:
        scripted_history(api)
        last = api.store.max_notification_id()
        assert api.projector.position("projects") < last and relay.relay is not None
        time.sleep(1)  # an api-only rigd has no follower that could move a position meanwhile
        assert relay.relay.position() == 0 and api.projector.position("projects") < last
        projector.start(("projector",))
        relay.start(("relay",))
        eventually(lambda: api.projector.position("projects") >= last, "the projector-only rigd")
        eventually(lambda: relayed(relay), "the relay-only rigd")
        assert not projector.relay_leadership or not projector.relay_leadership.held()
    finally:
        for instance in (api, projector, relay):
            instance.close()
