"""Benchmark: does the cost of a read or a write grow with the length of history?

    .venv/bin/python bench/history_scaling.py [--postgres postgresql://...] [--grow 5000]

Measures List, Get and Create over gRPC on a small store (the baseline), grows the
history, measures again in the same run, and prints each ratio. Ratios near 1 mean
the cost does not grow with history (indexed reads, per-aggregate writes). No absolute
time is asserted anywhere: only the ratio against the baseline measured here."""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rigd.domain.context import CommandContext
from rigd.proto.api.v1.project import project_pb2, service_pb2_grpc
from rigd.proto.api.v1.project import service_pb2 as pb
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from rigd.services.server import ApiServer
from tests.principals import admin_authorization, calling_as

SAMPLES = 200


def median_ms(action: Callable[[int], object], samples: int = SAMPLES) -> float:
    timings = []
    for i in range(samples):
        started = time.perf_counter()
        action(i)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def grow(rigd: Rigd, prefix: str, count: int) -> None:
    ctx = CommandContext()
    last = 0
    for i in range(count):
        last, _ = rigd.projects.create(ctx, f"{prefix}-{i:06d}")
        last = rigd.projects.rename(ctx, f"{prefix}-{i:06d}", [f"Renamed {i}"]) or last
    rigd.wait_for(last, ("projects",))


def lengthen(rigd: Rigd, project_id: str, renames: int) -> None:
    """Gives one project a long history of its own (snapshots keep loading it cheap)."""
    ctx = CommandContext()
    for i in range(renames):
        rigd.projects.rename(ctx, project_id, [f"{project_id} {i}"])


def measure(stub: service_pb2_grpc.ServiceStub, round_name: str) -> dict[str, float]:
    return {
        "List (first page of 50)": median_ms(lambda _: stub.List(pb.ListRequest())),
        "Get": median_ms(lambda _: stub.Get(pb.GetRequest(project_id="base-000000"))),
        "Update (one long history)": median_ms(lambda i: stub.Update(pb.UpdateRequest(
            project_id="base-000001", updates=[project_pb2.Update(name=f"{round_name} {i}")]))),
        "Create": median_ms(lambda i: stub.Create(pb.CreateRequest(project_id=f"{round_name}-new-{i:05d}"))),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL of an empty database (default: SQLite)")
    parser.add_argument("--grow", type=int, default=5000, help="projects added between the two rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), environments=(), metrics_listen="")
        if args.postgres:
            key = base64.b64encode(os.urandom(32)).decode()
            settings = Settings(data_dir=Path(tmp), environments=(), metrics_listen="",
                                database_url=args.postgres, secret_key=key,
                                auth_secret=secrets.token_hex(32))
        rigd = build(settings, announce=lambda line: None)
        rigd.start()
        server = ApiServer(rigd, listen="127.0.0.1:0")
        server.start()
        try:
            with grpc.insecure_channel(server.address) as plain:  # (as the first admin: every call is authenticated)
                stub = service_pb2_grpc.ServiceStub(calling_as(plain, admin_authorization(rigd)))
                grow(rigd, "base", 60)
                baseline = measure(stub, "small")
                grow(rigd, "more", args.grow)
                lengthen(rigd, "base-000001", args.grow)
                grown = measure(stub, "large")
        finally:
            server.stop(grace=1)
            rigd.close()
    store = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{store}: median over {SAMPLES} calls, before and after adding {args.grow} projects (x2 events)"
          f" and {args.grow} renames of the updated project")
    for name, before in baseline.items():
        print(f"  {name:27s} {before:7.3f} ms -> {grown[name]:7.3f} ms   ratio {grown[name] / before:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
