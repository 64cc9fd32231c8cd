"""`rigd serve` as a user starts it: no configuration, driven over the wire with grpcurl."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TEST_AUTH_SECRET, TEST_SECRET_KEY
from tests.e2e.processes import BIN, Served, clean_environment, free_port, node_tool

API_SERVICES = [
    "api.v1.authentication.Service", "api.v1.capsule.Service", "api.v1.cluster.Service",
    "api.v1.environment.Service", "api.v1.group.Service", "api.v1.image.Service", "api.v1.project.Service",
    "api.v1.project.settings.Service", "api.v1.role.Service", "api.v1.service_account.Service",
    "api.v1.user.Service", "api.v1.user.settings.Service",
]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path)
    yield server
    if server.process.poll() is None:
        server.process.kill()
        server.process.communicate()


def test_reflection_health_and_a_slice_call(served: Served, tmp_path: Path) -> None:
    listed = served.grpcurl("list").stdout.split()
    assert [name for name in listed if name.startswith("api.v1.")] == API_SERVICES
    assert "grpc.health.v1.Health" in listed

    # NOT_SERVING until the read models reach the start-up history (built-in roles, the first admin)
    deadline = time.monotonic() + 60
    health = json.loads(served.grpcurl("grpc.health.v1.Health/Check").stdout)
    while health != {"status": "SERVING"} and time.monotonic() < deadline:
        time.sleep(0.2)
        health = json.loads(served.grpcurl("grpc.health.v1.Health/Check").stdout)
    assert health == {"status": "SERVING"}

    created = json.loads(served.grpcurl("api.v1.project.Service/Create", data={"project_id": "demo"}).stdout)
    assert created["project"]["project_id"] == "demo"
    environments = json.loads(served.grpcurl("api.v1.environment.Service/List").stdout)
    assert [e["environment_id"] for e in environments["environments"]] == ["local"]

    refused = served.grpcurl("api.v1.project.Service/Create", data={"project_id": "Not Valid"}, check=False)
    assert "Code: InvalidArgument" in refused.stderr
    missing = served.grpcurl("api.v1.capsule.Service/Get", data={"project_id": "demo", "capsule_id": "web"},
                             check=False)
    assert "Code: NotFound" in missing.stderr and "capsule 'web' not found" in missing.stderr

    metrics = served.metrics()
    assert 'rigd_rpc_requests_total{code="OK",method="/api.v1.project.Service/Create"} 1.0' in metrics
    assert 'rigd_rpc_requests_total{code="INVALID_ARGUMENT",method="/api.v1.project.Service/Create"} 1.0' in metrics
    assert 'rigd_rpc_requests_total{code="NOT_FOUND",method="/api.v1.capsule.Service/Get"} 1.0' in metrics
    assert 'rigd_read_model_lag_events{read_model="projects"} 0.0' in metrics
    assert 'rigd_leader{role="projector"} 1.0' in metrics

    code, output = served.terminate()
    assert code == 0, output
    assert "rigd stopped" in output
    assert (tmp_path / "var" / "events.sqlite").exists()
    assert (tmp_path / "var" / "secret.key").stat().st_mode & 0o077 == 0


def test_history_survives_a_restart(tmp_path: Path) -> None:
    first = Served(tmp_path)
    first.grpcurl("api.v1.project.Service/Create", data={"project_id": "kept"})
    assert first.terminate()[0] == 0
    second = Served(tmp_path)
    try:
        fetched = json.loads(second.grpcurl("api.v1.project.Service/Get", data={"project_id": "kept"}).stdout)
        assert fetched["project"]["project_id"] == "kept"
    finally:
        assert second.terminate()[0] == 0


def test_a_bad_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(BIN / "rigd"), "serve"], cwd=tmp_path, env=clean_environment(RIGD_LISTEN="nowhere"),
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "rigd: configuration error: setting 'listen' must be HOST:PORT, got 'nowhere'"]


def test_rebuild_read_model_command(tmp_path: Path) -> None:
    server = Served(tmp_path)
    server.grpcurl("api.v1.project.Service/Create", data={"project_id": "again"})
    assert server.terminate()[0] == 0
    result = subprocess.run(
        [str(BIN / "rigd"), "rebuild-read-model", "projects"], cwd=tmp_path, env=clean_environment(),
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "read model 'projects' rebuilt" in result.stdout
    unknown = subprocess.run(
        [str(BIN / "rigd"), "rebuild-read-model", "nope"], cwd=tmp_path, env=clean_environment(),
        capture_output=True, text=True, timeout=60,
    )
    assert unknown.returncode == 2
    assert "no read model named 'nope'" in unknown.stderr


def test_an_address_in_use_stops_start_up_with_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        for variables, setting in [
            # a configured admin password: no generated one is printed before the refusal
            ({"RIGD_LISTEN": address, "RIGD_METRICS_LISTEN": "", "RIGD_ADMIN_PASSWORD": "local-pa55"}, "'listen'"),
            ({"RIGD_LISTEN": f"127.0.0.1:{free_port()}", "RIGD_METRICS_LISTEN": address}, "'metrics_listen'"),
        ]:
            result = subprocess.run(
                [str(BIN / "rigd"), "serve"], cwd=tmp_path, env=clean_environment(**variables),
                capture_output=True, text=True, timeout=60,
            )
            assert result.returncode == 2, result.stderr
            lines = [line for line in result.stderr.splitlines() if not line.startswith("{")]
            assert len(lines) == 1 and lines[0].startswith(f"rigd: setting {setting}: cannot listen on {address}")


def test_an_unusable_database_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(BIN / "rigd"), "serve"], cwd=tmp_path,
        env=clean_environment(RIGD_DATABASE_URL=f"postgresql://rigd:hunter2@127.0.0.1:{free_port()}/rigd",
                              RIGD_SECRET_KEY=TEST_SECRET_KEY, RIGD_AUTH_SECRET=TEST_AUTH_SECRET),
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("rigd: configuration error: setting 'database_url': cannot use the database:")
    assert "hunter2" not in result.stderr


def test_a_reflection_v1_client_lists_the_services(served: Served) -> None:
    """buf curl (connect-go's client, as the Rig CLI uses) asks for reflection v1 only."""
    result = subprocess.run(
        [str(node_tool("buf")), "curl", "--protocol", "grpc", "--http2-prior-knowledge",
         "--reflect-protocol", "grpc-v1", "--list-services", f"http://{served.address}"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    listed = result.stdout.split()
    assert [name for name in listed if name.startswith("api.v1.")] == API_SERVICES
