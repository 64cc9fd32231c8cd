"""Shared fixtures: a rigd built through the composition root, on SQLite or PostgreSQL."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import grpc
import psycopg
import pytest

from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from rigd.services.server import ApiServer

POSTGRES_ADMIN_URL = os.environ.get("RIGD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
TEST_SECRET_KEY = base64.b64encode(b"rigd-tests-only-key-32-bytes-ok!").decode()
STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _admin_conninfo() -> str:
    return POSTGRES_ADMIN_URL


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty database for one test, dropped afterwards."""
    name = f"rigd_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_conninfo(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(_admin_conninfo(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=STORES)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for one test on each store; no environments are declared unless a test adds them."""
    base = Settings(data_dir=tmp_path / "var", environments=(), read_timeout=10.0)
    if request.param == "postgres":
        return replace(base, database_url=request.getfixturevalue("postgres_url"), secret_key=TEST_SECRET_KEY)
    return base


@pytest.fixture
def rigd(settings: Settings) -> Iterator[Rigd]:
    instance = build(settings)
    instance.start()
    try:
        yield instance
    finally:
        instance.close()


@pytest.fixture
def channel(rigd: Rigd) -> Iterator[grpc.Channel]:
    """A client channel to an API server on a free port, in front of `rigd`."""
    server = ApiServer(rigd, listen="127.0.0.1:0")
    server.start()
    with grpc.insecure_channel(server.address) as channel:
        yield channel
    server.stop(grace=1)
