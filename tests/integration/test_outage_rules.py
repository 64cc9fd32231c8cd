"""Deadlines and cancellation reach the write; configuration reaches every connection safely;
the embedded store's files are private. On both stores where the store matters."""

from __future__ import annotations

import os
import stat
import subprocess
import time
import uuid
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from rigd.domain.context import Bounds, Cancelled, CommandContext, DeadlineExceeded
from rigd.services.calls import Status
from rigd.services.composition import Rigd, build
from rigd.services.config import ConfigError, Settings
from rigd.services.errors import database_failure
from tests.conftest import POSTGRES_ADMIN_URL, TEST_AUTH_SECRET, TEST_SECRET_KEY
from tests.e2e.processes import BIN, clean_environment


def _stored_projects(rigd: Rigd) -> int:
    return rigd.store.max_notification_id()


def test_a_change_whose_deadline_passed_is_not_written(rigd: Rigd) -> None:
    before = rigd.store.max_notification_id()
    late = CommandContext(bounds=Bounds(deadline=time.monotonic() - 0.001))
    with pytest.raises(DeadlineExceeded):
        rigd.projects.create(late, "too-late")
    gone = CommandContext(bounds=Bounds(deadline=time.monotonic() + 60, cancelled=lambda: True))
    with pytest.raises(Cancelled):
        rigd.projects.create(gone, "client-gone")
    assert rigd.store.max_notification_id() == before
    written, _ = rigd.projects.create(CommandContext(bounds=Bounds(deadline=time.monotonic() + 60)), "in-time")
    assert written > before


def test_the_recorder_checks_the_deadline_inside_the_insert_transaction(rigd: Rigd) -> None:
    """The deadline passes between the decision and the insert: the recorder, not only
    `record`, refuses, and nothing is written."""
    before = rigd.store.max_notification_id()
    calls = {"n": 0}

    def cancelled_at_the_insert() -> bool:
        calls["n"] += 1
        return calls["n"] > 1  # fine when `record` asks, gone when the recorder asks

    with pytest.raises(Cancelled):
        rigd.projects.create(CommandContext(bounds=Bounds(cancelled=cancelled_at_the_insert)), "half-way")
    assert calls["n"] >= 2
    assert rigd.store.max_notification_id() == before


@pytest.mark.postgres
def test_a_database_failure_is_unavailable_without_the_drivers_text(postgres_url: str, tmp_path: Path) -> None:
    import psycopg

    with pytest.raises(psycopg.OperationalError) as raised:
        psycopg.connect(postgres_url.replace("5432", "1"), connect_timeout=2)
    failure = database_failure(raised.value, expired=False)
    assert failure is not None and failure.status is Status.UNAVAILABLE
    assert failure.message.startswith("the event store is unavailable: ")
    assert "127.0.0.1" not in failure.message
    late = database_failure(raised.value, expired=True)
    assert late is not None and late.status is Status.DEADLINE_EXCEEDED


def _url_with(postgres_url: str, query: str) -> str:
    return urlunsplit(urlsplit(postgres_url)._replace(query=query))


@pytest.mark.postgres
def test_every_libpq_parameter_reaches_every_connection(postgres_url: str, tmp_path: Path) -> None:
    name = f"rigd-{uuid.uuid4().hex[:8]}"
    settings = Settings(data_dir=tmp_path, environments=(), secret_key=TEST_SECRET_KEY, auth_secret=TEST_AUTH_SECRET,
                        database_url=_url_with(postgres_url, f"application_name={name}"))
    rigd = build(settings)
    rigd.start()
    try:
        rigd.projects.create(CommandContext(), "named-connections")
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL) as admin:
            names = {row[0] for row in admin.execute(
                "SELECT application_name FROM pg_stat_activity WHERE datname = %s",
                (urlsplit(postgres_url).path.lstrip("/"),)).fetchall()}
        assert names == {name}  # the event store's pool, the read models', LISTEN, leadership
    finally:
        rigd.close()


def _serve_with(database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "rigd"), "serve"], cwd=cwd, capture_output=True, text=True, timeout=60,
        env=clean_environment(RIGD_DATABASE_URL=database_url, RIGD_SECRET_KEY=TEST_SECRET_KEY,
                              RIGD_AUTH_SECRET=TEST_AUTH_SECRET,
                              RIGD_LISTEN="127.0.0.1:0",
                              RIGD_METRICS_LISTEN=""),
    )


@pytest.mark.postgres
@pytest.mark.parametrize(("query", "said"), [
    ("sslmode=require", "SSL"),
    ("schema=nope", "schema 'nope' does not exist"),
])
def test_a_database_url_that_cannot_be_used_stops_start_up_with_one_line(
        postgres_url: str, tmp_path: Path, query: str, said: str) -> None:
    result = _serve_with(_url_with(postgres_url, query), tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0], result.stderr


@pytest.mark.parametrize("url", [
    "postgresql://rigd:Hunter2%zz@127.0.0.1/rigd",
    "postgresql://rigd:Hunter2@[::1/rigd",
    "postgresql://rigd:Hunter2@127.0.0.1/rigd?bogus=Hunter2",
])
def test_a_malformed_database_url_gives_one_line_without_its_password(url: str, tmp_path: Path) -> None:
    result = _serve_with(url, tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'database_url'" in lines[0], result.stderr
    assert "Hunter2" not in result.stderr and "unter" not in result.stderr


def test_a_malformed_database_url_is_a_config_error() -> None:
    from rigd.services.config import settings_from

    with pytest.raises(ConfigError, match="percent-encoding") as raised:
        settings_from({"database_url": "postgresql://rigd:Hunter2%zz@db/rigd", "secret_key": TEST_SECRET_KEY})
    assert "Hunter2" not in str(raised.value)


def test_the_data_directory_and_sqlite_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        rigd = build(replace(Settings(data_dir=tmp_path / "var", environments=())))
        rigd.start()
        rigd.projects.create(CommandContext(), "private")
        rigd.close()
    finally:
        os.umask(previous)
    data_dir = tmp_path / "var"
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    files = {path.name: stat.S_IMODE(path.stat().st_mode) for path in data_dir.iterdir()}
    assert {"events.sqlite", "read-models.sqlite", "secret.key"} <= set(files)
    assert {name: mode for name, mode in files.items() if mode != 0o600} == {}
