"""Benchmark: from Deploy to a DONE instances step on the local driver.

    .venv/bin/python bench/deploy_to_ready.py [--samples 7]

In one run: the floor is starting `python -m http.server PORT` by hand and probing it with
HTTP GETs until it answers; the measured time is from a Deploy (through the gRPC API of an
in-process rigd running every role, the deployer included, on SQLite) of a capsule running
the same command with an HTTP readiness probe, to GetRollout showing its running stage's
instances step DONE (polled every 10 ms by a client in a process of its own, as the Rig CLI
polls: a client in rigd's process would compete with rigd for its interpreter lock). Each
sample deploys a new capsule, so every rollout is a first one. Prints the medians and their
ratio; issue 9's target is at most 2x. Nothing is asserted."""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rigd.adapters.local_cluster.probes import free_port
from rigd.proto.api.v1.capsule import change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule import service_pb2_grpc as capsule_grpc
from rigd.proto.api.v1.capsule.rollout import status_pb2
from rigd.proto.api.v1.environment import service_pb2 as environment_pb
from rigd.proto.api.v1.environment import service_pb2_grpc as environment_grpc
from rigd.proto.api.v1.image import service_pb2 as image_pb
from rigd.proto.api.v1.image import service_pb2_grpc as image_grpc
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.proto.api.v1.project import service_pb2_grpc as project_grpc
from rigd.services.composition import ROLES, build
from rigd.services.config import Settings
from rigd.services.server import ApiServer
from tests.principals import admin_authorization, calling_as

COMMAND = [sys.executable, "-m", "http.server"]
POLL = 0.01


def by_hand() -> float:
    """Seconds from starting the server to its first answer."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen([*COMMAND, str(port), "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1):
                    return time.perf_counter() - started
            except OSError:
                time.sleep(POLL)
    finally:
        process.kill()
        process.wait()


def changes() -> list[change_pb2.Change]:
    probe = change_pb2.InterfaceProbe(http=change_pb2.InterfaceProbe.HTTP(path="/"))
    return [
        change_pb2.Change(image_id="index.docker.io/library/python:3"),
        change_pb2.Change(command_arguments=change_pb2.Change.CommandArguments(
            command=COMMAND[0], args=[*COMMAND[1:], "$PORT", "--bind", "127.0.0.1"])),
        change_pb2.Change(set_interface=change_pb2.Interface(name="http", port=8000, readiness=probe)),
        change_pb2.Change(replicas=1),
    ]


def deployed(channel: grpc.Channel, capsule: str) -> float:
    """Seconds from Deploy to the instances step DONE, for a new capsule."""
    capsules = capsule_grpc.ServiceStub(channel)
    capsules.Create(pb.CreateRequest(project_id="bench", name=capsule))
    image_grpc.ServiceStub(channel).Add(image_pb.AddRequest(project_id="bench", capsule_id=capsule, image="python:3",
                                                            skip_image_check=True))
    started = time.perf_counter()
    rollout_id = capsules.Deploy(pb.DeployRequest(project_id="bench", capsule_id=capsule, environment_id="prod",
                                                  changes=changes(), force=True)).rollout_id
    while True:
        status = capsules.GetRollout(pb.GetRolloutRequest(project_id="bench", capsule_id=capsule,
                                                          rollout_id=rollout_id)).rollout.status
        steps = [s.instances for s in status.stages.running.steps if s.WhichOneof("step") == "instances"]
        if steps and steps[0].info.state == status_pb2.STEP_STATE_DONE:
            elapsed = time.perf_counter() - started
            capsules.StopRollout(pb.StopRolloutRequest(project_id="bench", capsule_id=capsule,
                                                       rollout_id=rollout_id))
            return elapsed
        time.sleep(POLL)


def client(address: str, authorization: str, samples: int) -> list[float]:
    """The client's side, in a process of its own: the seconds of each sample."""
    with grpc.insecure_channel(address) as plain:
        channel = calling_as(plain, authorization)
        project_grpc.ServiceStub(channel).Create(project_pb.CreateRequest(project_id="bench"))
        environment_grpc.ServiceStub(channel).Create(environment_pb.CreateRequest(environment_id="prod"))
        deployed(channel, "warm-up")
        return [deployed(channel, f"bench-{i}") for i in range(samples)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=7)
    args = parser.parse_args()
    floor = statistics.median(by_hand() for _ in range(args.samples))
    with tempfile.TemporaryDirectory() as folder:
        rigd = build(Settings(data_dir=Path(folder) / "var", environments=(), read_timeout=10.0))
        rigd.start(ROLES)
        server = ApiServer(rigd, listen="127.0.0.1:0")
        server.start()
        try:
            with multiprocessing.get_context("spawn").Pool(1) as pool:
                measured = statistics.median(pool.apply(client, (server.address, admin_authorization(rigd),
                                                                 args.samples)))
        finally:
            server.stop(grace=1)
            rigd.close()
    print(f"by hand (start + probe):        {floor * 1000:8.1f} ms (median of {args.samples})")
    print(f"Deploy -> instances step DONE:  {measured * 1000:8.1f} ms (median of {args.samples})")
    print(f"ratio: {measured / floor:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
