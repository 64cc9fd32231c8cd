"""Benchmark: unary requests per second over Connect against the same RPC over gRPC.

    .venv/bin/python bench/connect_vs_grpc.py [--seconds 5] [--clients 1,4] [--rounds 5] [--postgres postgresql://...]

One rigd serves both protocols from the same endpoints; the RPC is project.Service/Get of
one project (a read: the protocol's cost is a visible part of it). For each number of
concurrent clients, gRPC clients (grpcio stubs on one channel) and Connect clients
(application/proto over persistent HTTP/1.1 connections, one per client) each call it
for the same time, taking turns, in the same run, from a process of their own (so the clients' Python
does not compete with the server's for its interpreter); the ratio Connect/gRPC is
printed (target >= 0.8).
No absolute number is asserted anywhere: only the ratio measured here."""

from __future__ import annotations

import argparse
import base64
import http.client
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rigd.proto.api.v1.authentication import service_pb2 as authentication_pb
from rigd.proto.api.v1.authentication import service_pb2_grpc as authentication_grpc
from rigd.proto.api.v1.authentication import user_pb2 as authentication_user_pb
from rigd.proto.api.v1.project import service_pb2 as pb
from rigd.proto.api.v1.project import service_pb2_grpc
from rigd.proto.model import user_pb2
from rigd.services.composition import build
from rigd.services.config import Settings
from rigd.services.server import ApiServer

PATH = "/api.v1.project.Service/Get"
TARGET = 0.8


def rate(make_call: Callable[[], Callable[[], None]], clients: int, seconds: float) -> float:
    """Calls per second of `clients` threads, each calling its own `make_call()` until time is up."""
    counts = [0] * clients
    start = threading.Barrier(clients + 1)
    stop = threading.Event()

    def run(index: int) -> None:
        call = make_call()
        call()  # warm: connect before the clock starts
        start.wait()
        while not stop.is_set():
            call()
            counts[index] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - began)


def compared(addresses: dict[str, str], clients: int, seconds: float, rounds: int,
             authorization: str) -> dict[str, tuple[float, float]]:
    """For each protocol: the rate of `clients` calling it, and the CPU time this process (the
    server) spent per call meanwhile, in microseconds. The clients run in a process of their own;
    the protocols take turns, `rounds` times each, so that the neighbours' load on a shared
    machine falls on both alike (the CPU per call moves much less than the rate)."""
    calls = dict.fromkeys(addresses, 0.0)
    cpu = dict.fromkeys(addresses, 0.0)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pool.apply(os.getpid)  # the client process is up before the clock starts
        for _ in range(rounds):
            for protocol, address in addresses.items():
                began = time.process_time()
                rate_per_second = float(pool.apply(load, (protocol, address, clients, seconds / rounds,
                                                          authorization)))
                cpu[protocol] += time.process_time() - began
                calls[protocol] += rate_per_second * seconds / rounds
    return {protocol: (calls[protocol] / seconds, cpu[protocol] / calls[protocol] * 1e6) for protocol in addresses}


def load(protocol: str, address: str, clients: int, seconds: float, authorization: str) -> float:
    request = pb.GetRequest(project_id="bench")
    if protocol == "connect":
        return rate(connect_caller(address, request, authorization), clients, seconds)
    with grpc.insecure_channel(address) as channel:
        return rate(grpc_caller(channel, request, authorization), clients, seconds)


def grpc_caller(channel: grpc.Channel, request: pb.GetRequest, authorization: str) -> Callable[[], Callable[[], None]]:
    stub = service_pb2_grpc.ServiceStub(channel)
    metadata = (("authorization", authorization),)

    def make() -> Callable[[], None]:
        return lambda: stub.Get(request, timeout=30, metadata=metadata) and None

    return make


def login(channel: grpc.Channel, email: str, password: str) -> str:
    """The first admin's Bearer header value, from Login."""
    answer = authentication_grpc.ServiceStub(channel).Login(authentication_pb.LoginRequest(
        user_password=authentication_user_pb.UserPassword(
            identifier=user_pb2.UserIdentifier(email=email), password=password)))
    return f"Bearer {answer.token.access_token}"


def connect_caller(address: str, request: pb.GetRequest, authorization: str) -> Callable[[], Callable[[], None]]:
    body = request.SerializeToString()
    host, _, port = address.rpartition(":")

    def make() -> Callable[[], None]:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)

        def call() -> None:
            connection.request("POST", PATH, body=body, headers={"Content-Type": "application/proto",
                                                                        "Authorization": authorization})
            response = connection.getresponse()
            data = response.read()
            if response.status != 200:
                raise RuntimeError(f"Connect answered {response.status}: {data!r}")

        return call

    return make


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", default="1,4", help="comma-separated numbers of concurrent clients")
    parser.add_argument("--rounds", type=int, default=5, help="turns each protocol takes within --seconds")
    parser.add_argument("--postgres", default="", help="a database URL (default: SQLite in a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "var", environments=(), admin_password="bench-pa55!")
        if args.postgres:
            key = base64.b64encode(os.urandom(32)).decode()
            settings = Settings(data_dir=Path(tmp) / "var", environments=(), database_url=args.postgres,
                                secret_key=key, auth_secret=key, admin_password="bench-pa55!")
        rigd = build(settings)
        rigd.start()
        server = ApiServer(rigd, listen="127.0.0.1:0", connect_listen="127.0.0.1:0")
        server.start()
        try:
            assert server.connect is not None
            with grpc.insecure_channel(server.address) as channel:
                bearer = login(channel, settings.admin_email, settings.admin_password)
                service_pb2_grpc.ServiceStub(channel).Create(pb.CreateRequest(project_id="bench"),
                                                             metadata=(("authorization", bearer),))
                print(f"{PATH}, {args.seconds:.0f} s per protocol in {args.rounds} turns")
                worst = None
                addresses = {"grpc": server.address, "connect": server.connect.address}
                for clients in (int(n) for n in args.clients.split(",")):
                    rates = compared(addresses, clients, args.seconds, args.rounds, bearer)
                    (over_grpc, grpc_cpu), (over_connect, connect_cpu) = rates["grpc"], rates["connect"]
                    ratio = over_connect / over_grpc
                    worst = ratio if worst is None else min(worst, ratio)
                    print(f"  {clients} client(s): gRPC {over_grpc:8.0f}/s   Connect {over_connect:8.0f}/s   "
                          f"ratio {ratio:.2f}   server CPU per call: gRPC {grpc_cpu:.0f} us, "
                          f"Connect {connect_cpu:.0f} us")
                print(f"Connect/gRPC: {worst:.2f} (target >= {TARGET})")
        finally:
            server.stop(grace=1)
            rigd.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
