"""Benchmark: what authentication and authorization add to a call.

    .venv/bin/python bench/auth_latency.py [--postgres postgresql://...] [--samples 2000]

In one run, against one rigd served over gRPC with its real gate (the authenticator and
RBAC): the median latency of project Get with a Bearer access token from Login, of the
same Get with Basic service-account credentials, and of the auth-free GetAuthConfig as the
floor (no credentials, no permission). Prints each ratio to the floor; issue 7's targets
are at most 1.25 (Bearer) and 1.40 (Basic). Nothing is asserted."""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rigd.domain.context import Actor, CommandContext
from rigd.domain.permissions import BUILT_IN_ROLES, Permission
from rigd.proto.api.v1.authentication import service_pb2 as auth_pb
from rigd.proto.api.v1.authentication import user_pb2 as auth_user
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.proto.model import user_pb2 as model_user
from rigd.services.composition import build
from rigd.services.config import Settings
from rigd.services.rbac_gate import Authorizer, CachedGrants, CheckingGate
from rigd.services.server import ApiServer

PASSWORD = "Bench-pa55word!"


class RoleGrants:
    """The admin role for every known caller: the benchmark measures the checks, not a lookup."""

    def permissions_of(self, actor: Actor) -> Sequence[Permission]:
        return BUILT_IN_ROLES["admin"]


def median_ms(actions: dict[str, Callable[[], object]], samples: int, rounds: int = 10) -> dict[str, float]:
    """The median latency of each action, measured in interleaved rounds so that a change of
    the machine's load during the run weighs on every action alike, not on whichever ran then."""
    for action in actions.values():
        for _ in range(min(200, samples)):  # warm up: connections, caches
            action()
    timings: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            for _ in range(max(1, samples // rounds)):
                started = time.perf_counter()
                action()
                timings[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) * 1000 for name, values in timings.items()}


def unary(channel: grpc.Channel, path: str, request: object, response: type) -> Callable[..., object]:
    return channel.unary_unary(path, request_serializer=type(request).SerializeToString,  # type: ignore[attr-defined]
                               response_deserializer=response.FromString)  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL (default: SQLite in a temporary folder)")
    parser.add_argument("--samples", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), environments=(), metrics_listen="")
        if args.postgres:
            settings = Settings(data_dir=Path(tmp), environments=(), metrics_listen="", database_url=args.postgres,
                                secret_key=base64.b64encode(os.urandom(32)).decode(),
                                auth_secret=secrets.token_hex(32))
        rigd = build(settings, announce=lambda line: None)
        rigd.start()
        rigd.gate = CheckingGate(rigd.authenticator, Authorizer(CachedGrants(
            RoleGrants(), rigd.projector.progress.generation)))
        server = ApiServer(rigd, listen="127.0.0.1:0")
        server.start()
        try:
            ctx = CommandContext()
            written, _ = rigd.projects.create(ctx, "bench")
            from rigd.domain.user_commands import UserUpdate
            written = max(written, rigd.identity.users.create(ctx, [
                UserUpdate("email", "bench@rigd.local"), UserUpdate("password", PASSWORD)])[0])
            _, account, secret = rigd.identity.service_accounts.create(ctx, "bench")
            rigd.wait_for(rigd.store.max_notification_id(), rigd.projector.names)
            with grpc.insecure_channel(server.address) as channel:
                login = unary(channel, "/api.v1.authentication.Service/Login", auth_pb.LoginRequest(),
                              auth_pb.LoginResponse)
                token = login(auth_pb.LoginRequest(user_password=auth_user.UserPassword(
                    identifier=model_user.UserIdentifier(email="bench@rigd.local"), password=PASSWORD)),
                    timeout=30).token.access_token  # type: ignore[attr-defined]
                basic = base64.b64encode(f"{account.client_id}:{secret}".encode()).decode()
                get = unary(channel, "/api.v1.project.Service/Get", project_pb.GetRequest(),
                            project_pb.GetResponse)
                config = unary(channel, "/api.v1.authentication.Service/GetAuthConfig",
                               auth_pb.GetAuthConfigRequest(), auth_pb.GetAuthConfigResponse)
                request = project_pb.GetRequest(project_id="bench")
                medians = median_ms({
                    "floor": lambda: config(auth_pb.GetAuthConfigRequest(), timeout=30),
                    "unauthenticated": lambda: _refused(get, request),
                    "bearer": lambda: get(request, metadata=(("authorization", f"Bearer {token}"),), timeout=30),
                    "basic": lambda: get(request, metadata=(("authorization", f"Basic {basic}"),), timeout=30),
                }, args.samples)
        finally:
            server.stop(grace=1)
            rigd.close()
    store = "PostgreSQL" if args.postgres else "SQLite"
    floor, unauthenticated, with_bearer, with_basic = (
        medians[name] for name in ("floor", "unauthenticated", "bearer", "basic"))
    print(f"auth latency over gRPC ({store}, median of {args.samples} calls each, in interleaved rounds)")
    print(f"  GetAuthConfig (auth-free floor)     {floor:8.3f} ms")
    print(f"  project Get, no credentials         {unauthenticated:8.3f} ms  (refused: {unauthenticated / floor:.2f}x)")
    print(f"  project Get, Bearer access token    {with_bearer:8.3f} ms  ratio {with_bearer / floor:.2f}"
          "  (target <= 1.25)")
    print(f"  project Get, Basic client secret    {with_basic:8.3f} ms  ratio {with_basic / floor:.2f}"
          "  (target <= 1.40)")


def _refused(get: Callable[..., object], request: object) -> None:
    try:
        get(request, timeout=30)
    except grpc.RpcError:
        return


if __name__ == "__main__":
    main()
