"""The wheel, installed into a fresh virtual environment away from the checkout, is all a user needs.

It brings the `rigd` command and the rigd.* packages, and nothing with a generic top-level name
(domain, services, proto) that would clash with a user's own packages."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.processes import BIN, clean_environment, free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
INSTALL_TIMEOUT = 900  # seconds: the wheel's dependencies come from the package index
pytestmark = pytest.mark.timeout(2 * INSTALL_TIMEOUT)  # the first test also builds and installs


def _run(command: list[str], cwd: Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    environment = clean_environment(**env)
    environment.pop("PYTHONPATH", None)
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The scripts folder of a new virtual environment into which only the built wheel was installed."""
    # Build from a copy, so the build leaves nothing behind in the checkout.
    source = tmp_path_factory.mktemp("source") / "rigd"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", "var", ".pytest_cache", ".ruff_cache",
        ".mypy_cache"))
    wheels = tmp_path_factory.mktemp("wheels")
    built = _run([str(BIN / "python"), "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), str(source)],
                 cwd=wheels, timeout=INSTALL_TIMEOUT)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = wheels.glob("rigd-*.whl")

    environment = tmp_path_factory.mktemp("venv") / "env"
    created = _run([sys.executable, "-m", "venv", str(environment)], cwd=environment.parent)
    assert created.returncode == 0, created.stderr
    scripts = environment / "bin"
    install = _run([str(scripts / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=environment.parent,
                   timeout=INSTALL_TIMEOUT)
    assert install.returncode == 0, install.stdout + install.stderr
    yield scripts


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working directory with nothing of the checkout in it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_the_wheel_brings_the_rigd_command(installed: Path, elsewhere: Path) -> None:
    result = _run([str(installed / "rigd"), "--version"], cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "rigd 0.1.0 (Rig platform API v1.8.10)"


def test_the_wheel_installs_the_rigd_namespace_and_no_generic_top_level_names(
    installed: Path, elsewhere: Path,
) -> None:
    python = str(installed / "python")
    imported = _run([python, "-c", "import rigd.domain, rigd.services.cli, rigd.proto.api.v1.project.service_pb2"],
                    cwd=elsewhere)
    assert imported.returncode == 0, imported.stderr
    where = _run([python, "-c", "import rigd.domain; print(rigd.domain.__file__)"], cwd=elsewhere)
    assert str(ROOT) not in where.stdout
    assert "site-packages" in where.stdout
    for name in ("domain", "services", "proto", "adapters", "projections"):
        result = _run([python, "-c", f"import {name}"], cwd=elsewhere)
        assert result.returncode != 0
        assert f"ModuleNotFoundError: No module named '{name}'" in result.stderr


def test_the_installed_rigd_serves(installed: Path, elsewhere: Path) -> None:
    address = f"127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        [str(installed / "rigd"), "serve"], cwd=elsewhere,
        env=clean_environment(RIGD_LISTEN=address, RIGD_METRICS_LISTEN=f"127.0.0.1:{free_port()}"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        health = wait_until_healthy(address, process, 60, "the installed rigd")
        assert json.loads(health) == {"status": "SERVING"}
        assert (elsewhere / "var" / "secret.key").exists()  # the embedded default, under the working directory
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
