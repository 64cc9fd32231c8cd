"""Read models are rebuilt from history: by command, and when their schema version changes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from rigd.domain.context import CommandContext
from rigd.projections.pagination import Page
from rigd.projections.projects import ProjectsReadModel
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


def fill(rigd: Rigd) -> None:
    ctx = CommandContext()
    for i in range(30):
        rigd.projects.create(ctx, f"project-{i:02d}", [f"Project {i}"])
    rigd.projects.rename(ctx, "project-03", ["Renamed"])
    rigd.projects.delete(ctx, "project-07")
    rigd.projects.delete(ctx, "project-08")
    last, _ = rigd.projects.create(ctx, "project-08", ["Revived"])
    assert rigd.wait_for(last, ("projects",))


def rows(rigd: Rigd) -> list[tuple]:  # type: ignore[type-arg]
    with rigd.read_database.snapshot() as cursor:
        cursor.execute("SELECT * FROM rm_projects ORDER BY aggregate_id")
        return cursor.fetchall()


def test_drop_and_rebuild_gives_the_same_rows(rigd: Rigd) -> None:
    fill(rigd)
    before = rows(rigd)
    listed_before = rigd.project_queries.list_page(Page())
    assert len(before) == 30
    assert listed_before[1] == 29

    rigd.projector.rebuild("projects")
    rigd.projector.catch_up("projects")

    assert rows(rigd) == before
    assert rigd.project_queries.list_page(Page()) == listed_before
    assert rigd.projector.position("projects") == rigd.store.max_notification_id()


def test_a_new_schema_version_is_rebuilt_on_start(settings: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = build(settings)
    first.start()
    fill(first)
    before = rows(first)
    with first.read_database.transaction() as cursor:
        cursor.execute("DELETE FROM rm_projects")  # damage that only a rebuild repairs
    first.close()

    monkeypatch.setattr(ProjectsReadModel, "version", ProjectsReadModel.version + 1)
    second = build(replace(settings))
    try:
        second.projector.catch_up()
        assert rows(second) == before
    finally:
        second.close()


def test_concurrent_projectors_apply_each_event_once(rigd: Rigd) -> None:
    fill(rigd)
    before = rows(rigd)
    rigd.projector.rebuild("projects")
    _, errors = concurrently(lambda: rigd.projector.catch_up("projects"), times=4)
    assert errors == []
    assert rows(rigd) == before


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
