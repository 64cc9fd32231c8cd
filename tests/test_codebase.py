"""Checks on the code base itself: wire compatibility, generated code, layering, lint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WIRE_CHECK = ROOT.parent / "shared" / "tools" / "wire_check.py"
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(not WIRE_CHECK.exists(), reason="../shared/tools/wire_check.py is not beside this checkout")
def test_protos_match_every_wire_fact() -> None:
    result = run(sys.executable, str(WIRE_CHECK), "--proto-root", "proto")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1517 of 1517 match, 0 missing or different" in result.stdout


def test_generated_code_is_up_to_date() -> None:
    result = run(sys.executable, "-m", "rigd.proto.generate", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_layer_contracts_hold() -> None:
    result = run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_types_check(tmp_path: Path) -> None:
    # mypy cannot follow setuptools' editable finder, so it reads the folders through a
    # tree that spells the installed names (tmp/rigd/domain -> domain/, ...).
    tree = tmp_path / "rigd"
    tree.mkdir()
    for folder in ("domain", "projections", "adapters", "services", "proto"):
        (tree / folder).symlink_to(ROOT / folder)
    result = subprocess.run(
        [str(BIN / "mypy"), "--config-file", str(ROOT / "pyproject.toml")],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout
