"""Read models are rebuilt from history, beside the live tables: by command, and when their
schema version changes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from rigd.domain.context import CommandContext
from rigd.projections import generations
from rigd.projections.pagination import Page
from rigd.projections.projects import ProjectsReadModel
from rigd.services import composition
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings

T = TypeVar("T")


def concurrently(action: Callable[[], T], times: int) -> tuple[list[T], list[BaseException]]:
    """Runs `action` in `times` threads at once; returns their results and errors."""
    results: list[T] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(times)

    def run() -> None:
        barrier.wait()
        try:
            results.append(action())
        except BaseException as error:  # collected for the caller's assertions
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, errors


def fill_unprojected(rigd: Rigd) -> int:
    ctx = CommandContext()
    for i in range(30):
        rigd.projects.create(ctx, f"project-{i:02d}", [f"Project {i}"])
    rigd.projects.rename(ctx, "project-03", ["Renamed"])
    rigd.projects.delete(ctx, "project-07")
    rigd.projects.delete(ctx, "project-08")
    last, _ = rigd.projects.create(ctx, "project-08", ["Revived"])
    return last


def fill(rigd: Rigd) -> None:
    assert rigd.wait_for(fill_unprojected(rigd), ("projects",))


class ProjectsNext(ProjectsReadModel):
    """The projects read model as a later rigd version would ship it."""

    version = ProjectsReadModel.version + 1


def live_tables(rigd: Rigd, name: str) -> list[str]:
    """The live generation's table names of read model `name`."""
    model = rigd.projector.read_model(name)
    with rigd.read_database.snapshot() as cursor:
        live = model.live(cursor)
    return [live.table(table) for table in model.tables]


def rows(rigd: Rigd, name: str = "projects") -> list[list[tuple]]:  # type: ignore[type-arg]
    """Every row of every table of the live generation of read model `name`."""
    model = rigd.projector.read_model(name)
    with rigd.read_database.snapshot() as cursor:
        live = model.live(cursor)
        tables = []
        for table in model.tables:
            cursor.execute(f"SELECT * FROM {live.table(table)} ORDER BY 1")
            tables.append(cursor.fetchall())
        return tables


def table_exists(rigd: Rigd, table: str) -> bool:
    with rigd.read_database.snapshot() as cursor:
        if rigd.settings.uses_postgres:
            cursor.execute("SELECT to_regclass($1) IS NOT NULL", (table,))
        else:
            cursor.execute("SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = $1", (table,))
        row = cursor.fetchone()
    return bool(row and row[0])


def test_a_rebuild_gives_the_same_rows_in_new_tables_and_drops_the_old(rigd: Rigd) -> None:
    fill(rigd)
    before = rows(rigd)
    old_tables = live_tables(rigd, "projects")
    listed_before = rigd.project_queries.list_page(Page())
    assert len(before[0]) == 30
    assert listed_before[1] == 29

    position = rigd.projector.rebuild("projects")

    assert live_tables(rigd, "projects") != old_tables
    assert not any(table_exists(rigd, table) for table in old_tables)
    assert rows(rigd) == before
    assert rigd.project_queries.list_page(Page()) == listed_before
    assert rigd.projector.position("projects") == position == rigd.store.max_notification_id()


def test_a_new_schema_version_is_built_on_start(settings: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = build(settings)
    first.start()
    fill(first)
    before = rows(first)
    damaged = live_tables(first, "projects")[0]
    with first.read_database.transaction() as cursor:
        cursor.execute(f"DELETE FROM {damaged}")  # damage that only a new generation repairs
    first.close()

    monkeypatch.setattr(composition, "ProjectsReadModel", ProjectsNext)
    second = build(replace(settings))
    try:
        assert rows(second) == before
    finally:
        second.close()


def test_concurrent_projectors_apply_each_event_once(settings: Settings) -> None:
    writer = build(settings)  # not started: its events wait for the projectors below
    try:
        fill_unprojected(writer)
        _, errors = concurrently(lambda: writer.projector.catch_up("projects"), times=4)
        assert errors == []
        projected = rows(writer)
        writer.projector.rebuild("projects")
        assert rows(writer) == projected
    finally:
        writer.close()


def test_replicas_starting_together_prepare_the_schema_once(settings: Settings) -> None:
    built, errors = concurrently(lambda: build(settings), times=4)
    try:
        assert errors == []
        assert len(built) == 4
        assert built[0].environment_queries.all() == []
    finally:
        for replica in built:
            replica.close()


def timeouts(rigd: Rigd, read_model: str) -> float:
    value = rigd.metrics.registry.get_sample_value(
        "rigd_read_your_writes_timeouts_total", {"read_model": read_model})
    return value or 0.0


def test_read_your_writes_gives_up_quietly_and_counts(rigd: Rigd) -> None:
    beyond = rigd.store.max_notification_id() + 1000
    assert not rigd.wait_for(beyond, ("projects",), deadline=time.monotonic() + 0.2)  # well before read_timeout
    assert timeouts(rigd, "projects") == 1
    assert timeouts(rigd, "environments") == 0

    written, _ = rigd.projects.create(CommandContext(), "seen")
    assert rigd.wait_for(written, ("projects", "environments"))
    assert timeouts(rigd, "projects") == 1


def test_an_interrupted_build_is_dropped_by_the_next(rigd: Rigd) -> None:
    fill(rigd)
    model = rigd.projector.read_model("projects")
    with rigd.read_database.transaction() as cursor:  # what a rebuild that died half-way leaves
        generation = generations.add(cursor, model.name, model.version, model.tables)
        model.at(generation).create_tables(cursor)
    interrupted = model.at(generation).table("rm_projects")
    before = rows(rigd)

    rigd.projector.rebuild("projects")

    assert not table_exists(rigd, interrupted)
    assert live_tables(rigd, "projects") != [interrupted]
    assert rows(rigd) == before
