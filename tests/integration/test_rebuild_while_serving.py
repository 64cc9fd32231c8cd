"""Rebuilding a read model while rigd serves: a new generation is built beside the live one
and switched to atomically; readers, writers and the serving projector never notice."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import grpc
import pytest

from rigd.domain.context import CommandContext
from rigd.projections.projector import Projector
from rigd.projections.read_model import ReadModel, ReadModelUnavailable
from rigd.proto.api.v1.environment import environment_pb2
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.environment import service_pb2_grpc as environment_grpc
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.proto.api.v1.project import service_pb2_grpc as project_grpc
from rigd.services import composition
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from tests.conftest import TEST_AUTH_SECRET, TEST_SECRET_KEY, serving
from tests.integration.test_read_models import ProjectsNext, fill, live_tables, rows, table_exists

RIGD = Path(sys.executable).parent / "rigd"
REBUILDS = 20
WAIT = 60.0  # seconds: generous bounds for a loaded 2-core machine


def eventually(condition: Callable[[], bool], what: str) -> None:
    ends = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < ends, f"timed out waiting until {what}"
        time.sleep(0.02)


def run_rigd(settings: Settings, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`rigd` as a separate process on the same stores."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RIGD_")}
    environment["RIGD_DATA_DIR"] = str(settings.data_dir)
    if settings.uses_postgres:
        environment.update(RIGD_DATABASE_URL=settings.database_url, RIGD_SECRET_KEY=TEST_SECRET_KEY,
                           RIGD_AUTH_SECRET=TEST_AUTH_SECRET)
    return subprocess.run([str(RIGD), "--config", str(config), *args], env=environment,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "rigd.yaml"
    path.write_text("environments: {}\n")  # the same (empty) configuration as the in-process rigd
    return path


def test_the_old_version_serves_until_the_new_generation_is_live(settings: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    old = build(settings)
    old.start()
    built: list[Rigd] = []
    try:
        fill(old)
        old_tables = live_tables(old, "projects")
        switching, proceed = threading.Event(), threading.Event()
        switch = Projector._switch

        def paused(self: Projector, model: ReadModel, generation: int) -> Any:
            switching.set()
            assert proceed.wait(WAIT)
            return switch(self, model, generation)

        monkeypatch.setattr(Projector, "_switch", paused)
        monkeypatch.setattr(composition, "ProjectsReadModel", ProjectsNext)  # a rigd of the next version
        upgrading = threading.Thread(target=lambda: built.append(build(replace(settings))))
        upgrading.start()
        assert switching.wait(WAIT)

        # The new generation is built and caught up, not live: the old version still serves.
        with old.read_database.snapshot() as cursor:
            cursor.execute("SELECT state FROM read_model_generations WHERE name = 'projects' AND version = $1",
                           (ProjectsNext.version,))
            assert cursor.fetchall() == [("building",)]
        written, _ = old.projects.create(CommandContext(), "during-upgrade")
        assert old.wait_for(written, ("projects",))
        assert old.project_queries.get("during-upgrade").project_id == "during-upgrade"

        proceed.set()
        upgrading.join(WAIT)
        new = built[0]
        assert new.project_queries.get("during-upgrade").project_id == "during-upgrade"
        assert not any(table_exists(new, table) for table in old_tables)
        with pytest.raises(ReadModelUnavailable, match="schema version 1"):
            old.project_queries.get("during-upgrade")
    finally:
        for rigd in [*built, old]:
            rigd.close()


def test_a_reader_keeps_the_generation_it_saw_live_until_it_ends(rigd: Rigd) -> None:
    fill(rigd)
    model = rigd.projector.read_model("projects")
    rebuilt: list[int] = []
    with rigd.read_database.snapshot() as cursor:
        table = model.live(cursor).table("rm_projects")  # the snapshot begins here, before the switch
        rebuilding = threading.Thread(target=lambda: rebuilt.append(rigd.projector.rebuild("projects")))
        rebuilding.start()
        seen: list[list[str]] = []

        def switched() -> bool:  # asked from another thread: this one is inside a snapshot
            looker = threading.Thread(target=lambda: seen.append(live_tables(rigd, "projects")))
            looker.start()
            looker.join(WAIT)
            return seen[-1] != [table]

        eventually(switched, "the rebuilt generation is live")
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # the retired table, still there for this reader
        assert cursor.fetchone() == (30,)
    rebuilding.join(WAIT)
    assert rebuilt and not table_exists(rigd, table)


def test_rebuild_command_answers_in_one_line(settings: Settings, config: Path) -> None:
    first = build(settings)
    try:
        fill_quietly(first)
        unknown = run_rigd(settings, config, "rebuild-read-model", "nope")
        assert (unknown.returncode, unknown.stdout) == (2, "")
        assert unknown.stderr.splitlines() == [
            "rigd: no read model named 'nope'; known: projects, environments, users, groups, roles,"
            " service_accounts, user_settings, sessions, images, registry_settings, capsules, rollouts,"
            " job_executions"]

        with first.read_database.build_lock("projects", wait=False) as held:  # as a rebuild in progress would
            assert held
            refused = run_rigd(settings, config, "rebuild-read-model", "projects")
        assert (refused.returncode, refused.stdout) == (1, "")
        assert refused.stderr.splitlines() == [
            "rigd: read model 'projects' is being rebuilt by another process; try again when it is done"]

        done = run_rigd(settings, config, "rebuild-read-model", "projects")
        assert done.returncode == 0, done.stderr
        position = first.store.max_notification_id()
        assert done.stdout.splitlines() == [
            f"read model 'projects' rebuilt up to notification {position}; the new generation is live"]
        assert "Traceback" not in done.stderr
    finally:
        first.close()


def fill_quietly(rigd: Rigd) -> None:
    for number in range(5):
        rigd.projects.create(CommandContext(), f"quiet-{number}")
    rigd.projector.catch_up()


class Writers:
    """Threads creating projects (then getting each) and creating and updating environments,
    over gRPC, until stopped; every answer that is not what the RPC promises is kept."""

    def __init__(self, rigd: Rigd, channel: grpc.Channel) -> None:
        self._rigd = rigd
        self._projects = project_grpc.ServiceStub(channel)
        self._environments = environment_grpc.ServiceStub(channel)
        self._stopping = threading.Event()
        self.wrong: list[str] = []
        self.done: Counter[str] = Counter()
        self._threads = [threading.Thread(target=self._run, args=(work,))
                         for work in (self._project, self._environment)]

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(WAIT)

    def _run(self, work: Callable[[int], None]) -> None:
        number = 0
        while not self._stopping.is_set():
            try:
                work(number)
            except grpc.RpcError as error:
                self.wrong.append(f"{work.__name__} {number}: {error.code().name} {error.details()}")
            except Exception as error:
                self.wrong.append(f"{work.__name__} {number}: {type(error).__name__} {error}")
            number += 1

    def _project(self, number: int) -> None:
        project_id = f"writer-{number}"
        self._projects.Create(project_pb.CreateRequest(project_id=project_id), timeout=30)
        got = self._projects.Get(project_pb.GetRequest(project_id=project_id), timeout=30)
        assert got.project.project_id == project_id
        self.done["projects"] += 1

    def _environment(self, number: int) -> None:
        environment_id = f"env-{number}"
        self._environments.Create(environment_pb.CreateRequest(environment_id=environment_id, cluster_id="local"),
                                  timeout=30)
        assert self._rigd.environment_queries.get(environment_id).environment_id == environment_id
        if number % 5 == 0:
            self._environments.Update(environment_pb.UpdateRequest(
                environment_id=environment_id, updates=[environment_pb2.Update(default=True)]), timeout=30)
        self.done["environments"] += 1


@contextmanager
def counting_applies() -> Iterator[Counter[tuple[str, int | None, int]]]:
    """Counts each (read model, generation, notification id) this process applies."""
    counts: Counter[tuple[str, int | None, int]] = Counter()
    apply = ReadModel.apply

    def counted(self: ReadModel, event: Any, notification_id: int, cursor: Any) -> None:
        counts[(self.name, self.generation, notification_id)] += 1
        apply(self, event, notification_id, cursor)

    ReadModel.apply = counted  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        ReadModel.apply = apply  # type: ignore[method-assign]


@pytest.mark.postgres
@pytest.mark.timeout(600)
def test_rebuilds_during_serve_with_writers(postgres_url: str, tmp_path: Path, config: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "var", environments=(), read_timeout=10.0,
                        database_url=postgres_url, secret_key=TEST_SECRET_KEY, auth_secret=TEST_AUTH_SECRET)
    rigd = build(settings)
    rigd.start()
    try:
        with counting_applies() as applied, serving(rigd) as channel, Writers(rigd, channel) as writers:
            for number in range(REBUILDS):
                name = rigd.projector.names[number % 2]
                done = run_rigd(settings, config, "rebuild-read-model", name)
                assert done.returncode == 0, done.stderr
                assert len(done.stdout.splitlines()) == 1
                for bad in ("Traceback", '"level": "error"', "duplicate key", "deadlock"):
                    assert bad not in done.stderr, done.stderr
        assert writers.wrong == []
        assert writers.done["projects"] > 0 and writers.done["environments"] > 0
        assert [key for key, count in applied.items() if count > 1] == []
        problems = [r.getMessage() for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
        assert problems == []

        rigd.projector.catch_up()
        for name in rigd.projector.names:  # what 20 switches left equals a build from scratch
            served = rows(rigd, name)
            rigd.projector.rebuild(name)
            assert rows(rigd, name) == served
        assert len(rows(rigd, "projects")[0]) == writers.done["projects"]
    finally:
        rigd.close()
