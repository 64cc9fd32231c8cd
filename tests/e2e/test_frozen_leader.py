"""The frozen leader: two `rigd serve` on one PostgreSQL database; the process leading the
projector is stopped (SIGSTOP) for 20 s while clients write through the other.

Which process moved a read-model position is seen from outside: each process connects under its
own `application_name` (libpq's PGAPPNAME), and a trigger the test adds records the writer of
every position change."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import grpc
import psycopg
import pytest

from rigd.proto.api.v1.project import service_pb2 as pb
from rigd.proto.api.v1.project import service_pb2_grpc
from tests.conftest import TEST_AUTH_SECRET, TEST_SECRET_KEY
from tests.e2e.processes import Served
from tests.principals import calling_as

FREEZE_SECONDS = 20
WAIT_SECONDS = 60  # generous bound for anything awaited on a loaded machine
LEADING = 'rigd_leader{role="projector"} 1.0'


def eventually(condition: Callable[[], bool], seconds: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def sample(served: Served, name: str, labels: str) -> float:
    found = re.search(rf"^{re.escape(name)}\{{{re.escape(labels)}\}} (\S+)$", served.metrics(), re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def record_position_writes(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE position_writes (writer TEXT, name TEXT, position BIGINT, at TIMESTAMPTZ DEFAULT now())")
        connection.execute(
            "CREATE FUNCTION record_position_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO position_writes (writer, name, position) "
            "VALUES (current_setting('application_name'), NEW.name, NEW.position); RETURN NEW; END $$")
        connection.execute(
            "CREATE TRIGGER position_writes AFTER UPDATE ON read_model_generations FOR EACH ROW "
            "WHEN (OLD.position IS DISTINCT FROM NEW.position) EXECUTE FUNCTION record_position_write()")


def position_writes(url: str, writer: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM position_writes WHERE writer = %s", (writer,)).fetchone()
        return int(row[0]) if row else 0


class Writers:
    """Creates projects through one replica on a thread until stopped; keeps every outcome."""

    def __init__(self, projects: service_pb2_grpc.ServiceStub) -> None:
        self._projects = projects
        self.created: list[str] = []
        self.failed: list[str] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Writers:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stopping.set()
        self._thread.join(WAIT_SECONDS)

    def _run(self) -> None:
        number = 0
        while not self._stopping.is_set():
            project_id = f"written-{number}"
            number += 1
            try:
                self._projects.Create(pb.CreateRequest(project_id=project_id), timeout=30)
            except grpc.RpcError as error:
                self.failed.append(f"{project_id}: {error.code()} {error.details()}")
            else:
                self.created.append(project_id)


@pytest.fixture
def replicas(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Served, Served]]:
    started: list[Served] = []

    def serve(name: str) -> Served:
        (tmp_path / name).mkdir()
        environment = {"RIGD_DATABASE_URL": postgres_url, "RIGD_SECRET_KEY": TEST_SECRET_KEY,
                       "RIGD_AUTH_SECRET": TEST_AUTH_SECRET, "PGAPPNAME": name}
        started.append(Served(tmp_path / name, environment, log=tmp_path / f"{name}.log"))
        return started[-1]

    try:
        leader = serve("rigd-a")
        assert eventually(lambda: LEADING in leader.metrics())
        yield leader, serve("rigd-b")
    finally:
        for served in started:
            if served.process.poll() is None:
                served.process.send_signal(signal.SIGCONT)
                served.process.kill()
                served.process.wait()


@contextmanager
def stuck_mid_batch(url: str, writer: str) -> Iterator[None]:
    """Until the block ends, the `writer` process's next projects batch waits on a table lock
    inside its transaction, holding the position row; yields once it waits."""
    with psycopg.connect(url) as connection:
        connection.execute("LOCK TABLE rm_projects_g1 IN EXCLUSIVE MODE")  # reads go on; inserts wait
        assert eventually(lambda: waiting_on_a_lock(url, writer))
        yield
        connection.commit()


def waiting_on_a_lock(url: str, writer: str) -> bool:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM pg_stat_activity "
                                 "WHERE application_name = %s AND wait_event_type = 'Lock'", (writer,)).fetchone()
        return bool(row and row[0])


@pytest.mark.postgres
@pytest.mark.parametrize("moment", ["between batches", "mid-batch"])
def test_a_frozen_leader_is_replaced_and_cannot_write_a_position_when_it_wakes(
        replicas: tuple[Served, Served], postgres_url: str, tmp_path: Path, moment: str) -> None:
    """Mid-batch, the frozen leader holds the projects position row: the server ends its
    session after a lease time of idling in the transaction, and the new leader goes on."""
    leader, standby = replicas
    assert LEADING not in standby.metrics()
    record_position_writes(postgres_url)
    with grpc.insecure_channel(standby.address) as raw:
        projects = service_pb2_grpc.ServiceStub(calling_as(raw, standby.authorization))

        def write_and_read(project_id: str) -> None:
            projects.Create(pb.CreateRequest(project_id=project_id), timeout=30)
            assert projects.Get(pb.GetRequest(project_id=project_id), timeout=30).project.project_id == project_id

        with Writers(projects) as writers:
            assert eventually(lambda: len(writers.created) >= 20)  # the leader's projector is busy
            assert position_writes(postgres_url, "rigd-a") > 0
            with ExitStack() as stack:
                if moment == "mid-batch":
                    stack.enter_context(stuck_mid_batch(postgres_url, "rigd-a"))
                os.kill(leader.process.pid, signal.SIGSTOP)
                frozen_at = time.monotonic()

            # The standby takes over while the leader is still frozen (the lease is 5 s).
            assert eventually(lambda: LEADING in standby.metrics(), FREEZE_SECONDS - 3)
            print(f"standby led {time.monotonic() - frozen_at:.1f} s after the freeze")
            writes_by_frozen = position_writes(postgres_url, "rigd-a")

            # Writes through the healthy replica are answered within read_timeout and are in its read models.
            assert eventually(lambda: sample(standby, "rigd_read_model_lag_events", 'read_model="projects"') == 0,
                              FREEZE_SECONDS - (time.monotonic() - frozen_at))
            timeouts = sample(standby, "rigd_read_your_writes_timeouts_total", 'read_model="projects"')
            for number in range(10):
                write_and_read(f"while-frozen-{number}")
            assert sample(standby, "rigd_read_your_writes_timeouts_total", 'read_model="projects"') == timeouts

            time.sleep(max(0.0, FREEZE_SECONDS - (time.monotonic() - frozen_at)))  # the freeze itself
            os.kill(leader.process.pid, signal.SIGCONT)

            # Awake, the old leader finds the lease taken and stands by; writes go on meanwhile.
            log = tmp_path / "rigd-a.log"
            assert eventually(lambda: "no longer leading projector" in log.read_text()), log.read_text()[-4000:]
            for number in range(10):
                write_and_read(f"after-wake-{number}")
            assert LEADING not in leader.metrics()
            assert LEADING in standby.metrics()

        assert position_writes(postgres_url, "rigd-a") == writes_by_frozen
        assert position_writes(postgres_url, "rigd-b") > 0
        assert writers.failed == []
        for project_id in writers.created[-5:]:
            assert projects.Get(pb.GetRequest(project_id=project_id), timeout=30).project.project_id == project_id
    fenced = sample(leader, "rigd_fenced_batches_total", 'role="projector"')
    print(f"fenced batches in the woken process: {fenced}")
    for served in (leader, standby):
        code, _ = served.terminate()
        assert code == 0
