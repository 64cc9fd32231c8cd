"""Every benchmark in bench/ still runs, on a few samples: a benchmark nobody can run measures
nothing. (Their numbers are printed, never asserted: speed is the benchmarks' own business.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMALL = {  # the fewest samples each runs through on
    "auth_latency.py": ["--samples", "20"],
    "connect_vs_grpc.py": ["--seconds", "1", "--clients", "1", "--rounds", "1"],
    "deploy_to_ready.py": ["--samples", "1"],
    "history_scaling.py": ["--grow", "20"],
    "relay.py": ["--events", "50", "--rate", "50", "--seconds", "1"],
}
# A part of the result line each prints once its measure is done.
PRINTS = {
    "auth_latency.py": "ratio",
    "connect_vs_grpc.py": "Connect/gRPC",
    "deploy_to_ready.py": "ratio",
    "deploys.py": "earlier rollouts",
    "history_scaling.py": "ratio",
    "relay.py": "p99",
}


def run(script: str, arguments: list[str]) -> str:
    finished = subprocess.run([sys.executable, str(ROOT / "bench" / script), *arguments], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr[-3000:]
    return finished.stdout


def test_every_benchmark_is_covered_here() -> None:
    assert sorted(path.name for path in (ROOT / "bench").glob("*.py")) == sorted(PRINTS)


@pytest.mark.parametrize("script", sorted(SMALL))
def test_a_benchmark_runs_through(script: str) -> None:
    printed = run(script, SMALL[script])
    assert printed.strip() and PRINTS[script] in printed


def test_the_deploy_benchmark_runs_through_on_postgresql(postgres_url: str) -> None:
    printed = run("deploys.py", ["--postgres", postgres_url, "--samples", "20", "--history", "5"])
    assert "Deploy RPCs" in printed and PRINTS["deploys.py"] in printed
