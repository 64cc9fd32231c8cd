"""Benchmark: what a Deploy costs against the event store's own save, and whether it grows
with the capsule's history.

    .venv/bin/python bench/deploys.py [--postgres postgresql://.../empty_db] [--samples 300]

On PostgreSQL (a fresh database on 127.0.0.1 unless --postgres names one), in one run:

- the raw save rate: one new single-event aggregate saved per call, in a loop, on the same
  event store rigd uses, with rigd running (no RPC; its followers are woken as by any save),
  measured in turns alternating with the Deploys it is compared with (a shared host's speed
  drifts: both see the same drift);
- Deploy RPCs per second: sequential Deploys over gRPC (authenticated as the first admin, RBAC
  checked, read-your-writes awaited), each a new rollout of one capsule, sent by a client in a
  process of its own (as every real client is: one in rigd's process would compete with rigd
  for its interpreter lock, which no deployment does); the ratio against
  the raw rate (target at least 0.5); and both rates again with 8 clients calling together
  (each Deploying to a capsule of its own), where read models apply Deploys in batches;
- the median Deploy latency of a capsule with 1000 earlier rollouts against one with 10
  (target at most 1.2);
- beside the sequential rates, the CPU time rigd's process spent per raw save and per Deploy
  (its followers' included): both are bound by the interpreter, so that ratio says where the
  rate ratio comes from, and moves less with the machine's speed; and per capsule Get, what
  any authenticated RPC costs before its own work (gRPC, authentication, RBAC, one read);
- the ceiling of the sequential ratio: a Deploy reads, then saves, over an RPC, so it costs at least
  a capsule Get plus one raw save, whatever else it does.

No absolute time is asserted: only the ratios measured here, printed at the end."""

from __future__ import annotations

import argparse
import base64
import multiprocessing
import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, cast

import grpc
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rigd.domain.context import CommandContext, acting
from rigd.domain.events import AuditedAggregate, AuditedCreated
from rigd.proto.api.v1.capsule import change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as capsule_pb
from rigd.proto.api.v1.capsule import service_pb2_grpc as capsule_grpc
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.environment import service_pb2_grpc as environment_grpc
from rigd.proto.api.v1.image import service_pb2 as image_pb
from rigd.proto.api.v1.image import service_pb2_grpc as image_grpc
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.proto.api.v1.project import service_pb2_grpc as project_grpc
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from rigd.services.server import ApiServer
from tests.principals import admin_authorization, calling_as

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PROJECT, ENVIRONMENT, IMAGE = "bench", "prod", "nginx:1.27"
CLIENTS = 8  # for the rates measured with clients calling together
ROUNDS = 5  # turns in which a rate and its baseline are measured in alternation


class BenchMark(AuditedAggregate):
    """A one-event aggregate: what the raw save rate saves."""

    TOPIC = "bench-mark"

    class Created(AuditedCreated):
        TOPIC = "bench-mark.Created"
        note: str

    def __init__(self, note: str) -> None:
        self.note = note


@contextmanager
def fresh_database() -> Iterator[str]:
    name = f"rigd_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def per_second(action: Callable[[int], object], count: int) -> float:
    started = time.perf_counter()
    for i in range(count):
        action(i)
    return count / (time.perf_counter() - started)


def per_second_together(actions: list[Callable[[int], object]], count: int) -> float:
    """Calls per second of `count` calls of each action, the actions in threads of their own."""
    def run(action: Callable[[int], object]) -> None:
        for i in range(count):
            action(i)

    started = time.perf_counter()
    with ThreadPoolExecutor(len(actions)) as pool:
        list(pool.map(run, actions))
    return len(actions) * count / (time.perf_counter() - started)


def median_ms(action: Callable[[int], object], count: int) -> float:
    timings = []
    for i in range(count):
        started = time.perf_counter()
        action(i)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def alternating_medians_ms(actions: dict[str, Callable[[int], object]], count: int) -> dict[str, float]:
    """The median latency of each action, called in turn, so that each sees the same load."""
    timings: dict[str, list[float]] = {name: [] for name in actions}
    for i in range(count):
        for name, action in actions.items():
            started = time.perf_counter()
            action(i)
            timings[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) * 1000 for name, values in timings.items()}


@dataclass
class Measured:
    """A rate, and the CPU time rigd's process spent per call meanwhile (its followers' included)."""

    rate: float
    cpu_ms: float


def interleaved_rates(baseline: Callable[[], float], measured: Callable[[], float], calls: int,
                      settle: Callable[[], object]) -> tuple[Measured, Measured]:
    """Both rates, each measured in ROUNDS turns of `calls` calls taken in alternation, so that
    a machine whose speed drifts during the run (a shared host) slows both alike. Each turn
    starts settled (`settle`: the read models caught up), so none pays for the one before."""
    seconds, cpu = [0.0, 0.0], [0.0, 0.0]
    for _ in range(ROUNDS):
        for index, turn in enumerate((baseline, measured)):
            settle()
            started = time.process_time()
            seconds[index] += calls / turn()
            cpu[index] += time.process_time() - started
    total = ROUNDS * calls
    return Measured(total / seconds[0], cpu[0] / total * 1000), Measured(total / seconds[1], cpu[1] / total * 1000)


def raw_save_rate(rigd: Rigd, count: int) -> float:
    return per_second(raw_saver(rigd), count)


def raw_saver(rigd: Rigd) -> Callable[[int], object]:
    def save(i: int) -> object:
        with acting(CommandContext()):
            return rigd.store.record(BenchMark(note=f"mark {i}"))

    return save


def prepare(channel: grpc.Channel, capsules: list[str]) -> capsule_grpc.ServiceStub:
    project_grpc.ServiceStub(channel).Create(project_pb.CreateRequest(project_id=PROJECT))
    environment_grpc.ServiceStub(channel).Create(environment_pb.CreateRequest(environment_id=ENVIRONMENT))
    stub = capsule_grpc.ServiceStub(channel)
    for capsule in capsules:
        stub.Create(capsule_pb.CreateRequest(project_id=PROJECT, name=capsule))
        image_grpc.ServiceStub(channel).Add(image_pb.AddRequest(
            project_id=PROJECT, capsule_id=capsule, image=IMAGE, skip_image_check=True))
    return stub


def deployer(stub: capsule_grpc.ServiceStub, capsule: str) -> Callable[[int], object]:
    image_id = "index.docker.io/library/nginx:1.27"

    def deploy(i: int) -> object:
        changes = [change_pb2.Change(image_id=image_id), change_pb2.Change(replicas=1 + i % 5),
                   change_pb2.Change(set_environment_variable=change_pb2.Change.KeyValue(name="N", value=str(i)))]
        return stub.Deploy(capsule_pb.DeployRequest(project_id=PROJECT, capsule_id=capsule,
                                                    environment_id=ENVIRONMENT, changes=changes, force=True),
                           timeout=30)

    return deploy


class Client:
    """The RPC side of the bench, in a process of its own: it runs what it is asked and
    answers with the measure (the raw saves stay in rigd's process: they are no RPC)."""

    def __init__(self, address: str, authorization: str) -> None:
        self._pipe, there = multiprocessing.get_context("spawn").Pipe()
        self._process = multiprocessing.get_context("spawn").Process(
            target=_client_loop, args=(there, address, authorization), daemon=True)
        self._process.start()

    def ask(self, *command: object) -> object:
        self._pipe.send(command)
        answer = self._pipe.recv()
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def close(self) -> None:
        self._pipe.send(("stop",))
        self._process.join(30)


def _client_loop(pipe: Connection, address: str, authorization: str) -> None:
    with grpc.insecure_channel(address) as plain:
        channel = calling_as(plain, authorization)
        stub = capsule_grpc.ServiceStub(channel)
        while (command := pipe.recv())[0] != "stop":
            try:
                pipe.send(_client_answer(channel, stub, command))
            except Exception as error:  # reported in the bench's process
                pipe.send(RuntimeError(repr(error)))


def _client_answer(channel: grpc.Channel, stub: capsule_grpc.ServiceStub, command: tuple[Any, ...]) -> object:
    kind, *args = command
    if kind == "prepare":
        prepare(channel, args[0])
        return None
    if kind == "deploys":  # a capsule's earlier rollouts
        capsule, count = args
        for i in range(count):
            deployer(stub, capsule)(i)
        return None
    if kind == "rate":
        return per_second(deployer(stub, args[0]), args[1])
    if kind == "rate together":
        return per_second_together([deployer(stub, capsule) for capsule in args[0]], args[1])
    if kind == "get":
        get = capsule_pb.GetRequest(project_id=PROJECT, capsule_id=args[0])
        return median_ms(lambda _: stub.Get(get, timeout=30), args[1])
    if kind == "latencies":
        return alternating_medians_ms({name: deployer(stub, capsule) for name, capsule in args[0].items()}, args[1])
    raise ValueError(f"unknown command {kind}")


def run(url: str, samples: int, history: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), environments=(), metrics_listen="", database_url=url,
                            secret_key=base64.b64encode(os.urandom(32)).decode(), auth_secret=secrets.token_hex(32))
        rigd = build(settings, announce=lambda line: None)
        rigd.start()
        server = ApiServer(rigd, listen="127.0.0.1:0")
        server.start()
        client = Client(server.address, admin_authorization(rigd))
        try:
            parallel = [f"rate-{n}" for n in range(CLIENTS)]
            client.ask("prepare", ["short", "long", "rate", *parallel])
            client.ask("deploys", "long", history)
            client.ask("deploys", "short", 10)
            for capsule in ["rate", *parallel]:
                client.ask("deploys", capsule, 1)
            raw_save_rate(rigd, 50)  # warm up
            share = max(1, samples // ROUNDS)
            raw, deploys = interleaved_rates(lambda: raw_save_rate(rigd, share),
                                             lambda: cast(float, client.ask("rate", "rate", share)), share,
                                             rigd.projector.catch_up)
            share = max(1, samples // CLIENTS // 2)  # (turns of too few calls would time the pool)
            raw_together, deploys_together = interleaved_rates(
                lambda: per_second_together([raw_saver(rigd)] * CLIENTS, share),
                lambda: cast(float, client.ask("rate together", parallel, share)), share * CLIENTS,
                rigd.projector.catch_up)
            started = time.process_time()
            get_ms = cast(float, client.ask("get", "rate", samples))
            results = {"get": get_ms, "get cpu": (time.process_time() - started) / samples * 1000,
                       "raw": raw.rate, "deploys": deploys.rate,
                       "raw cpu": raw.cpu_ms, "deploy cpu": deploys.cpu_ms,
                       "raw together": raw_together.rate, "deploys together": deploys_together.rate,
                       **cast(dict[str, float], client.ask("latencies", {"short": "short", "long": "long"},
                                                             samples // 2))}
        finally:
            client.close()
            server.stop(grace=1)
            rigd.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="", help="an empty PostgreSQL database (default: a fresh one)")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--history", type=int, default=1000, help="earlier rollouts of the long capsule")
    args = parser.parse_args()
    if args.postgres:
        results = run(args.postgres, args.samples, args.history)
    else:
        with fresh_database() as url:
            results = run(url, args.samples, args.history)
    print(f"PostgreSQL, {args.samples} samples")
    print(f"  raw single-event saves      {results['raw']:8.1f} /s")
    rate_ratio = results["deploys"] / results["raw"]
    print(f"  Deploy RPCs                 {results['deploys']:8.1f} /s   ratio {rate_ratio:.2f}  (target >= 0.5)")
    print(f"  {CLIENTS} clients together: raw saves {results['raw together']:8.1f} /s,"
          f" Deploys {results['deploys together']:8.1f} /s (one capsule each)"
          f"   ratio {results['deploys together'] / results['raw together']:.2f}  (target >= 0.5)")
    print(f"  (capsule Get, an RPC's floor   {results['get']:7.3f} ms; one raw save {1000 / results['raw']:7.3f} ms)")
    raw_ms = 1000 / results["raw"]
    # A Deploy reads before it saves, over an RPC: a Get and a raw save are the least it can cost.
    print(f"  (ceiling of the sequential ratio, a Deploy costing a capsule Get plus one raw save:"
          f" {raw_ms / (raw_ms + results['get']):.2f})")
    print(f"  (rigd's CPU per call: raw save {results['raw cpu']:6.3f} ms, Deploy {results['deploy cpu']:6.3f} ms,"
          f" ratio {results['raw cpu'] / results['deploy cpu']:.2f}; capsule Get {results['get cpu']:6.3f} ms)")
    print(f"  Deploy, 10 earlier rollouts   {results['short']:7.3f} ms")
    print(f"  Deploy, {args.history} earlier rollouts {results['long']:7.3f} ms   ratio "
          f"{results['long'] / results['short']:.2f}  (target <= 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
