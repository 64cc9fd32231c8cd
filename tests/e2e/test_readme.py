"""The README's first command, run literally in a fresh clone, serves the API."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.e2e.processes import (
    ADMIN_PASSWORD,
    BIN,
    Served,
    clean_environment,
    free_port,
    node_tool,
    wait_until_healthy,
)

ROOT = Path(__file__).resolve().parents[2]


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text())


def test_readme_opens_with_the_serve_and_test_commands() -> None:
    commands = readme_commands()
    assert commands[0].endswith("rigd serve")
    assert commands[1].endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "README.md" in ci


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout")
def test_first_command_serves_from_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "rigd"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    address = f"127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        ["bash", "-c", readme_commands()[0]], cwd=clone,
        env=clean_environment(RIGD_LISTEN=address, RIGD_METRICS_LISTEN=f"127.0.0.1:{free_port()}"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        # the command installs rigd into a new virtual environment first
        health = wait_until_healthy(address, process, 600, "the README's first command")
        assert json.loads(health) == {"status": "SERVING"}
        listed = subprocess.run([str(BIN / "grpcurl"), "-plaintext", address, "list"],
                                capture_output=True, text=True, timeout=30, check=True).stdout.split()
        assert len([name for name in listed if name.startswith("api.v1.")]) == 12
    finally:
        # (a rigd that already ended must not hide the failure that says why)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
    assert "rigd stopped" in output


def readme_example(against: str) -> str:
    """The bash block the README marks as an example this file runs `against` a rigd."""
    text = (ROOT / "README.md").read_text()
    marker = re.escape(f"<!-- example: tests/e2e/test_readme.py runs the next block against {against} -->")
    found = re.search(marker + r"\n```bash\n(.+?)\n```", text, re.DOTALL)
    assert found, f"the README lost its example against {against}"
    return found.group(1)


def test_the_credentials_example_runs_as_written(tmp_path: Path) -> None:
    """Login, a Bearer call, a service account and a Basic call, exactly as the README shows
    them (only the address differs: the test's server listens on a free port)."""
    served = Served(tmp_path)
    try:
        script = readme_example("a fresh rigd serve").replace("127.0.0.1:4747", served.address)
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120,
            env=clean_environment(PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", RIGD_ADMIN_PASSWORD=ADMIN_PASSWORD))
        assert result.returncode == 0, result.stderr
        created, listed = (json.loads(part) for part in re.findall(r"^\{.*?^\}", result.stdout, re.DOTALL | re.M))
        assert created["project"]["project_id"] == "demo"
        assert [p["project_id"] for p in listed["projects"]] == ["demo"]
        without = served.grpcurl("api.v1.project.Service/List", check=False, authorized=False)
        assert "Code: Unauthenticated" in without.stderr
    finally:
        served.terminate()


def test_the_connect_example_runs_as_written(tmp_path: Path) -> None:
    """Login and calls with the token over Connect, with curl (JSON over HTTP/1.1) and buf curl
    (binary over HTTP/2, schema by reflection), exactly as the README shows them."""
    buf = node_tool("buf")
    address = f"127.0.0.1:{free_port()}"
    served = Served(tmp_path, {"RIGD_CONNECT_LISTEN": address})
    try:
        script = readme_example("rigd serve over Connect").replace("127.0.0.1:4748", address)
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120,
            env=clean_environment(PATH=os.pathsep.join([str(buf.parent), os.environ["PATH"]]),
                                  RIGD_ADMIN_PASSWORD=ADMIN_PASSWORD))
        assert result.returncode == 0, result.stderr
        created, listed, listed_by_buf = json_documents(result.stdout)
        assert created["project"]["projectId"] == "demo"
        assert [project["projectId"] for project in listed["projects"]] == ["demo"]
        assert listed_by_buf == listed
    finally:
        served.terminate()


def json_documents(text: str) -> list[dict]:
    """The JSON documents printed one after another (curl ends none with a newline)."""
    decoder, documents, at = json.JSONDecoder(), [], 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        document, at = decoder.raw_decode(text, at)
        documents.append(document)
    return documents
