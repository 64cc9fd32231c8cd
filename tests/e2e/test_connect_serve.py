"""`rigd serve` speaks Connect (issue 11) to a client no one here wrote: buf curl, which uses
connect-go as the Rig CLI does, over HTTP/2 cleartext with prior knowledge; and to plain
HTTP/1.1 with JSON, as curl and dashboards do."""

from __future__ import annotations

import json
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.processes import ADMIN_EMAIL, ADMIN_PASSWORD, BIN, Served, clean_environment, free_port, node_tool


def buf_curl(address: str, path: str, data: dict, protocol: str = "connect",
             authorization: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(node_tool("buf")), "curl", "--protocol", protocol, "--http2-prior-knowledge",
         *(["-H", f"Authorization: {authorization}"] if authorization else []),
         "-d", json.dumps(data), f"http://{address}{path}"],  # the schema by server reflection
        capture_output=True, text=True, timeout=120,
    )


def post_json(address: str, path: str, data: dict, authorization: str = "") -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"} | ({"Authorization": authorization} if authorization else {})
    request = urllib.request.Request(f"http://{address}{path}", data=json.dumps(data).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_buf_curl_and_json_over_http1_call_rigd_serve(tmp_path: Path) -> None:
    address = f"127.0.0.1:{free_port()}"
    served = Served(tmp_path, {"RIGD_CONNECT_LISTEN": address})
    try:
        anonymous = post_json(address, "/api.v1.project.Service/List", {})
        assert anonymous[0] == 401 and anonymous[1]["code"] == "unauthenticated"
        wrong = post_json(address, "/api.v1.authentication.Service/Login", {
            "userPassword": {"identifier": {"email": ADMIN_EMAIL}, "password": "not-it-1!"}})
        assert wrong == (401, {"code": "unauthenticated", "message": "wrong password"})
        status, logged_in = post_json(address, "/api.v1.authentication.Service/Login", {
            "userPassword": {"identifier": {"email": ADMIN_EMAIL}, "password": ADMIN_PASSWORD}})
        assert status == 200, logged_in
        bearer = f"Bearer {logged_in['token']['accessToken']}"
        created = buf_curl(address, "/api.v1.project.Service/Create", {"project_id": "over-connect"}, "connect", bearer)
        assert created.returncode == 0, created.stderr
        assert json.loads(created.stdout)["project"]["projectId"] == "over-connect"
        status, made = post_json(address, "/api.v1.project.Service/Create", {"projectId": "over-json"}, bearer)
        assert status == 200 and made["project"]["projectId"] == "over-json"

        # one read, three ways: Connect+proto (buf curl), gRPC on the Connect port (buf curl), Connect+JSON
        listed = [json.loads(buf_curl(address, "/api.v1.project.Service/List", {}, protocol, bearer).stdout)
                  for protocol in ("connect", "grpc")]
        listed.append(post_json(address, "/api.v1.project.Service/List", {}, bearer)[1])
        assert listed[0] == listed[1] == listed[2]
        assert [p["projectId"] for p in listed[0]["projects"]] == ["over-connect", "over-json"]

        missing = buf_curl(address, "/api.v1.project.Service/Get", {"project_id": "nowhere"}, "connect", bearer)
        assert missing.returncode != 0
        assert json.loads(missing.stderr) == {"code": "not_found", "message": "project 'nowhere' not found"}
        logs = buf_curl(address, "/api.v1.capsule.Service/Logs", {"capsule_id": "web", "project_id": "nowhere"},
                        "connect", bearer)
        assert json.loads(logs.stderr) == {"code": "not_found", "message": "project 'nowhere' not found"}

        with urllib.request.urlopen(f"http://{address}/api/v1/status", timeout=30) as response:
            assert response.status == 200
    finally:
        code, output = served.terminate()
    assert code == 0 and "rigd stopped" in output
    with pytest.raises(OSError), socket.create_connection(tuple_of(address), timeout=5):
        pass  # nothing listens on the Connect port after SIGTERM


def tuple_of(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host, int(port)


def test_a_connect_address_in_use_stops_start_up_with_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        result = subprocess.run(
            [str(BIN / "rigd"), "serve"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
            env=clean_environment(RIGD_LISTEN=f"127.0.0.1:{free_port()}", RIGD_METRICS_LISTEN="",
                                  RIGD_CONNECT_LISTEN=address, RIGD_ADMIN_PASSWORD="local-pa55"),
        )
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("{")]
    assert len(lines) == 1 and lines[0].startswith(f"rigd: setting 'connect_listen': cannot listen on {address}")
