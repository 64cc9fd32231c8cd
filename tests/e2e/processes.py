"""Running rigd and grpcurl as processes, as a user would."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent  # the virtual environment's scripts: rigd, grpcurl
ROOT = Path(__file__).resolve().parents[2]
# The first admin of every rigd these tests start (RIGD_ADMIN_PASSWORD), to log in with.
ADMIN_EMAIL = "admin@rigd.local"
ADMIN_PASSWORD = "e2e-admin-pa55!"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_environment(**overrides: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RIGD_")}
    # No Connect endpoint unless a test asks for one: its default port is shared by every run on the machine.
    environment["RIGD_CONNECT_LISTEN"] = ""
    environment.update(overrides)
    return environment


def wait_until_healthy(address: str, process: subprocess.Popen[str], seconds: float, what: str) -> str:
    """Polls the gRPC health check until it answers SERVING (rigd answers NOT_SERVING until its
    read models have caught up with its start); fails the test with the process's output if
    it exits or `seconds` pass first. Returns the health check's answer."""
    deadline = time.monotonic() + seconds
    while True:
        health = subprocess.run([str(BIN / "grpcurl"), "-plaintext", address, "grpc.health.v1.Health/Check"],
                                capture_output=True, text=True, timeout=30)
        if health.returncode == 0 and '"SERVING"' in health.stdout:
            return health.stdout
        if process.poll() is not None or time.monotonic() > deadline:
            ended = process.poll()
            if ended is None:
                process.kill()
            why = f"it ended with status {ended}" if ended is not None else f"not healthy after {seconds:.0f} s"
            pytest.fail(f"{what} did not serve ({why}):\n"
                        f"{(process.communicate()[0] or '(output in its log file)')[-4000:]}")
        time.sleep(0.3)


def login(address: str, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> str:
    """The `Authorization` header value of a Login with grpcurl, as the README shows it."""
    request = {"user_password": {"identifier": {"email": email}, "password": password}}
    answer = subprocess.run([str(BIN / "grpcurl"), "-plaintext", "-d", json.dumps(request), address,
                             "api.v1.authentication.Service/Login"], capture_output=True, text=True, timeout=30)
    if answer.returncode != 0:
        pytest.fail(f"login as {email} failed: {answer.stderr}")
    return f"Bearer {json.loads(answer.stdout)['token']['access_token']}"


class Served:
    """`rigd serve` in `workdir`, with no configuration but a free port, the first admin's
    password (and `environment`); ready when healthy, and logged in as that admin. Its output
    goes to `log` if given (a pipe fills up under many calls)."""

    def __init__(self, workdir: Path, environment: Mapping[str, str] | None = None, log: Path | None = None,
                 arguments: tuple[str, ...] = ("serve",)) -> None:
        self.address = f"127.0.0.1:{free_port()}"
        self.metrics_address = f"127.0.0.1:{free_port()}"
        output = log.open("w") if log is not None else subprocess.PIPE
        self.process = subprocess.Popen(
            [str(BIN / "rigd"), *arguments], cwd=workdir,
            env=clean_environment(RIGD_LISTEN=self.address, RIGD_METRICS_LISTEN=self.metrics_address,
                                  RIGD_ADMIN_PASSWORD=ADMIN_PASSWORD, **(environment or {})),
            stdout=output, stderr=subprocess.STDOUT, text=True,
        )
        wait_until_healthy(self.address, self.process, 30, "rigd serve")
        self.authorization = login(self.address)

    def grpcurl(self, *args: str, data: dict | None = None, check: bool = True,
                authorized: bool = True) -> subprocess.CompletedProcess[str]:
        """grpcurl against this rigd, as the first admin unless not `authorized`."""
        command = [str(BIN / "grpcurl"), "-plaintext"]
        if authorized:
            command += ["-H", f"authorization: {self.authorization}"]
        if data is not None:
            command += ["-d", json.dumps(data)]
        result = subprocess.run([*command, self.address, *args], capture_output=True, text=True, timeout=30)
        if check and result.returncode != 0:
            pytest.fail(f"grpcurl {' '.join(args)} failed: {result.stderr}")
        return result

    def metrics(self) -> str:
        with urllib.request.urlopen(f"http://{self.metrics_address}/metrics", timeout=10) as response:
            return str(response.read().decode())

    def terminate(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        output, _ = self.process.communicate(timeout=30)
        return self.process.returncode, output

    def end(self) -> None:
        """Kills the process if it still runs: a test's clean-up, whatever the test did."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate(timeout=30)


def node_tool(name: str) -> Path:
    """A tool from npm (e.g. buf), as .ci/run installs it under .tools/; on a developer's
    machine without it the test is skipped, under CI it fails."""
    found = shutil.which(name) or str(ROOT / ".tools" / "node_modules" / ".bin" / name)
    if not Path(found).exists():
        reason = f"{name} is not installed: run .ci/run, or npm install --prefix .tools {NPM_PACKAGES[name]}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return Path(found)


NPM_PACKAGES = {"buf": "@bufbuild/buf"}
