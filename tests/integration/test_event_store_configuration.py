"""The event store is configured by rigd alone, and its inserts serialise (no lost events)."""

from __future__ import annotations

import multiprocessing
import sqlite3
from contextlib import closing
from dataclasses import replace
from multiprocessing.synchronize import Event
from pathlib import Path

import psycopg
import pytest

from rigd.adapters.event_store_settings import (
    StoreMisconfigured,
    check_inserts_serialise,
    postgres_settings,
    sqlite_settings,
)
from rigd.domain.context import CommandContext
from rigd.domain.event_store import EventStore
from rigd.projections.pagination import Page
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from tests.conftest import TEST_AUTH_SECRET, TEST_SECRET_KEY

WRITERS = 4
PROJECTS_PER_WRITER = 500


def stored_event_count(rigd: Rigd) -> int:
    """Counted in the database files/tables themselves, not through the library."""
    if rigd.settings.uses_postgres:
        with psycopg.connect(rigd.settings.database_url) as connection:
            row = connection.execute("SELECT COUNT(*) FROM rigd_events").fetchone()
    else:
        with closing(sqlite3.connect(rigd.settings.data_dir / "events.sqlite")) as connection:
            row = connection.execute("SELECT COUNT(*) FROM stored_events").fetchone()
    assert row is not None
    return int(row[0])


def test_eventsourcing_variables_in_the_environment_are_ignored(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIGD_POSTGRES_ENABLE_DB_FUNCTIONS", "y")
    monkeypatch.setenv("RIGD_PERSISTENCE_MODULE", "eventsourcing.popo")
    rigd = build(settings)
    rigd.start()
    try:
        before = stored_event_count(rigd)
        written, _ = rigd.projects.create(CommandContext(), "configured-by-rigd")
        assert stored_event_count(rigd) == before + 1
        assert written == rigd.store.max_notification_id()
        assert rigd.wait_for(written, ("projects",))
        assert rigd.project_queries.get("configured-by-rigd").project_id == "configured-by-rigd"
        assert rigd.store.env.get("POSTGRES_ENABLE_DB_FUNCTIONS") is None
        expected = ("rigd.adapters.event_store_recorders:RigdPostgresFactory" if settings.uses_postgres
                    else "eventsourcing.sqlite")
        assert rigd.store.env.get("PERSISTENCE_MODULE") == expected
    finally:
        rigd.close()


def test_an_in_memory_or_popo_store_is_refused(tmp_path: Path) -> None:
    for env in (
        {"PERSISTENCE_MODULE": "eventsourcing.popo"},
        {**sqlite_settings(tmp_path / "x.sqlite"), "SQLITE_DBNAME": ":memory:", "CREATE_TABLE": "yes"},
    ):
        store = EventStore(env)
        try:
            with pytest.raises(StoreMisconfigured):
                check_inserts_serialise(store.recorder, uses_postgres=False)
        finally:
            store.close()


@pytest.mark.postgres
def test_database_function_inserts_are_refused(postgres_url: str) -> None:
    store = EventStore({**postgres_settings(postgres_url), "POSTGRES_ENABLE_DB_FUNCTIONS": "y"})
    try:
        with pytest.raises(StoreMisconfigured, match="do not lock the events table"):
            check_inserts_serialise(store.recorder, uses_postgres=True)
    finally:
        store.close()
    serialising = EventStore(postgres_settings(postgres_url))
    try:
        check_inserts_serialise(serialising.recorder, uses_postgres=True)
    finally:
        serialising.close()


def write_projects(database_url: str, data_dir: str, writer: int, go: Event) -> None:
    """One writer process: its own rigd (no followers started) creating projects."""
    settings = Settings(data_dir=Path(data_dir), environments=(), database_url=database_url,
                        secret_key=TEST_SECRET_KEY, auth_secret=TEST_AUTH_SECRET)
    rigd = build(settings)
    try:
        go.wait(60)
        ctx = CommandContext()
        for number in range(PROJECTS_PER_WRITER):
            rigd.projects.create(ctx, f"writer{writer}-project-{number:04d}")
    finally:
        rigd.close()


def lag(rigd: Rigd) -> float | None:
    return rigd.metrics.registry.get_sample_value("rigd_read_model_lag_events", {"read_model": "projects"})


@pytest.mark.postgres
def test_concurrent_writer_processes_lose_no_event_in_the_read_model(postgres_url: str, tmp_path: Path) -> None:
    settings = replace(Settings(data_dir=tmp_path, environments=(), read_timeout=30),
                       database_url=postgres_url, secret_key=TEST_SECRET_KEY, auth_secret=TEST_AUTH_SECRET)
    projecting = build(settings)  # follows the log while the writers write
    projecting.start()
    observer = build(settings)  # never started: reports what the shared read model has
    spawn = multiprocessing.get_context("spawn")
    go = spawn.Event()
    writers = [spawn.Process(target=write_projects, args=(postgres_url, str(tmp_path), n, go))
               for n in range(WRITERS)]
    try:
        for process in writers:
            process.start()
        go.set()
        for process in writers:
            process.join(120)
            assert process.exitcode == 0
        last = projecting.store.max_notification_id()
        assert projecting.wait_for(last, ("projects",))
        _, total = observer.project_queries.list_page(Page())
        assert total == WRITERS * PROJECTS_PER_WRITER
        assert lag(observer) == 0
        projecting.close()  # no projector runs any more

        observer.projects.create(CommandContext(), "behind")
        assert lag(observer) == 1
        observer.projector.catch_up()
        assert lag(observer) == 0
        assert observer.project_queries.get("behind").project_id == "behind"
    finally:
        for process in writers:
            if process.is_alive():
                process.kill()
        projecting.close()
        observer.close()
