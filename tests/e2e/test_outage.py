"""A database outage under load: `rigd serve` on a PostgreSQL cluster of the test's own,
stopped for 20 s while writers, readers and a health prober run."""

from __future__ import annotations

import base64
import glob
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import psycopg
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from rigd.proto.api.v1.project import service_pb2 as pb
from rigd.proto.api.v1.project import service_pb2_grpc
from tests.conftest import TEST_AUTH_SECRET
from tests.e2e.processes import ADMIN_PASSWORD, BIN, clean_environment, free_port, login
from tests.principals import calling_as

OUTAGE_SECONDS = 20
CALL_TIMEOUT = 2.0  # each client call's deadline
SLACK_SECONDS = 0.5  # clock reading and commit latency allowed past a deadline
ALLOWED = {grpc.StatusCode.OK, grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED}
SECRET_KEY = base64.b64encode(b"rigd-outage-test-key-32-bytes-ok").decode()


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found or shutil.which("runuser") is None:
        if os.environ.get("CI"):
            pytest.fail("the outage test needs PostgreSQL's server binaries and runuser")
        pytest.skip("PostgreSQL's server binaries (/usr/lib/postgresql/*/bin) or runuser are not installed")
    return Path(found[-1]).parent


class Cluster:
    """A PostgreSQL cluster in a temporary directory, run as the `postgres` OS user."""

    def __init__(self, root: Path) -> None:
        self.bin = _postgres_bin()
        self.data = root / "data"
        self.port = free_port()
        self.log = root / "postgres.log"
        shutil.chown(root, "postgres")
        self._as_postgres("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/rigd"

    def _as_postgres(self, tool: str, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", str(self.bin / tool), *args],
                       check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c track_commit_timestamp=on")
        self._as_postgres("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    def stop(self) -> None:
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="rigd-outage-"))
    try:
        cluster = Cluster(root)
        cluster.start()
        try:
            with psycopg.connect(cluster.url.replace("/rigd", "/postgres"), autocommit=True) as admin:
                admin.execute("CREATE DATABASE rigd")
            yield cluster
        finally:
            subprocess.run(["runuser", "-u", "postgres", "--", str(cluster.bin / "pg_ctl"), "-D", str(cluster.data),
                            "-m", "immediate", "stop"], capture_output=True, timeout=60)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Outcome:
    request_id: str
    project_id: str
    code: grpc.StatusCode
    deadline: float  # wall clock (time.time())
    message: str


class Load:
    """Writers, readers and a health prober, each on a thread, until stopped."""

    def __init__(self, address: str) -> None:
        self._raw = grpc.insecure_channel(address)
        self.channel = calling_as(self._raw, login(address))  # as the first admin
        self.writes: list[Outcome] = []
        self.reads: list[grpc.StatusCode] = []
        self.health: list[tuple[float, str]] = []  # (time.monotonic(), status or error code)
        self._stopping = threading.Event()
        self._threads = [threading.Thread(target=self._write, args=(n,)) for n in range(3)]
        self._threads += [threading.Thread(target=self._read) for _ in range(2)]
        self._threads.append(threading.Thread(target=self._probe_health))

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(30)
        self._raw.close()

    def _write(self, writer: int) -> None:
        projects = service_pb2_grpc.ServiceStub(self.channel)
        number = 0
        while not self._stopping.is_set():
            number += 1
            project_id, request_id = f"w{writer}-p{number:05d}", uuid.uuid4().hex
            deadline = time.time() + CALL_TIMEOUT
            try:
                projects.Create(pb.CreateRequest(project_id=project_id),
                                timeout=CALL_TIMEOUT, metadata=(("x-request-id", request_id),))
                code, message = grpc.StatusCode.OK, ""
            except grpc.RpcError as error:
                code, message = error.code(), error.details() or ""
            self.writes.append(Outcome(request_id, project_id, code, deadline, message))
            if code != grpc.StatusCode.OK:
                time.sleep(0.1)

    def _read(self) -> None:
        projects = service_pb2_grpc.ServiceStub(self.channel)
        while not self._stopping.is_set():
            try:
                projects.List(pb.ListRequest(), timeout=CALL_TIMEOUT)
                self.reads.append(grpc.StatusCode.OK)
            except grpc.RpcError as error:
                self.reads.append(error.code())
                time.sleep(0.1)

    def _probe_health(self) -> None:
        health = health_pb2_grpc.HealthStub(self.channel)
        while not self._stopping.is_set():
            try:
                answer = health.Check(health_pb2.HealthCheckRequest(), timeout=1.0)
                status = health_pb2.HealthCheckResponse.ServingStatus.Name(answer.status)
            except grpc.RpcError as error:
                status = error.code().name
            self.health.append((time.monotonic(), status))
            time.sleep(0.2)


def _serve(cluster: Cluster, workdir: Path) -> tuple[subprocess.Popen[str], str]:
    address = f"127.0.0.1:{free_port()}"
    log = (workdir / "rigd.log").open("w")  # a file, not a pipe: a full pipe would stop rigd's logging
    process = subprocess.Popen(
        [str(BIN / "rigd"), "serve"], cwd=workdir, text=True, stdout=log, stderr=subprocess.STDOUT,
        env=clean_environment(RIGD_LISTEN=address, RIGD_METRICS_LISTEN="", RIGD_DATABASE_URL=cluster.url,
                              RIGD_SECRET_KEY=SECRET_KEY, RIGD_AUTH_SECRET=TEST_AUTH_SECRET,
                              RIGD_ADMIN_PASSWORD=ADMIN_PASSWORD,
                              RIGD_DATA_DIR=str(workdir / "var")),
    )
    with grpc.insecure_channel(address) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                answer = health.Check(health_pb2.HealthCheckRequest(), timeout=1)
                if answer.status == health_pb2.HealthCheckResponse.SERVING:
                    return process, address
            except grpc.RpcError:
                pass
            time.sleep(0.2)
    process.kill()
    process.wait()
    pytest.fail(f"rigd serve did not become healthy:\n{(workdir / 'rigd.log').read_text()[-4000:]}")


def _commits(cluster: Cluster) -> dict[str, float]:
    """Request id -> commit time (wall clock) of every event rigd stored."""
    with psycopg.connect(cluster.url) as connection:
        rows = connection.execute(
            "SELECT state, extract(epoch FROM pg_xact_commit_timestamp(xmin)) FROM rigd_events").fetchall()
    return {json.loads(bytes(state))["request_id"]: float(committed) for state, committed in rows}


def test_a_database_outage_answers_unavailable_keeps_health_answering_and_loses_nothing(
        cluster: Cluster, tmp_path: Path) -> None:
    process, address = _serve(cluster, tmp_path)
    try:
        with Load(address) as load:
            time.sleep(3)
            cluster.stop()
            stopped = time.monotonic()
            time.sleep(OUTAGE_SECONDS)
            cluster.start()
            restarted = time.monotonic()
            time.sleep(8)
    finally:
        process.terminate()
        returncode = process.wait(timeout=60)
        output = (tmp_path / "rigd.log").read_text()

    # Clients see only OK, UNAVAILABLE (with a clear message), or their own deadline passing.
    codes = {outcome.code for outcome in load.writes} | set(load.reads)
    assert codes <= ALLOWED, (codes, output[-3000:])
    unavailable = [o.message for o in load.writes if o.code == grpc.StatusCode.UNAVAILABLE]
    assert unavailable, ("no write met the outage", Counter((o.code, o.message) for o in load.writes))
    assert all(m.startswith("the event store is unavailable") for m in unavailable), set(unavailable)
    assert any(o.code == grpc.StatusCode.OK for o in load.writes if o.deadline > time.time() - 5)  # writes resumed

    # Health kept answering: NOT_SERVING during the outage, SERVING within 3 s of the database's return.
    during = [status for at, status in load.health if stopped + 3 < at < restarted]
    assert during and set(during) == {"NOT_SERVING"}, during
    back = [at for at, status in load.health if at > restarted and status == "SERVING"]
    assert back and back[0] - restarted < 3.0, (back[:1], restarted)

    # Nothing acknowledged is lost; nothing was committed after its client's deadline.
    commits = _commits(cluster)
    ours = {outcome.request_id: outcome for outcome in load.writes}
    lost = [o.project_id for o in load.writes if o.code == grpc.StatusCode.OK and o.request_id not in commits]
    assert not lost
    late = [(ours[rid].project_id, ours[rid].code, committed - ours[rid].deadline)
            for rid, committed in commits.items()
            if rid in ours and ours[rid].code != grpc.StatusCode.OK and committed > ours[rid].deadline + SLACK_SECONDS]
    assert not late

    # One warning for the outage (and one for the LISTEN connection), not a traceback per second.
    assert returncode == 0
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    ours = ("rigd.services.health", "rigd.adapters.postgres_wakeup")
    outage_logs = [line for line in lines if line["logger"] in ours]
    assert not any("error" in line for line in outage_logs), outage_logs
    assert sum("the event store is unreachable" in line["message"] for line in outage_logs) == 1, outage_logs
    assert sum("lost the PostgreSQL LISTEN" in line["message"] for line in outage_logs) == 1, outage_logs
    assert not [line for line in lines if line["logger"].startswith("psycopg")], "psycopg_pool's warnings leak"
