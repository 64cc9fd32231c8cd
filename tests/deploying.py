"""Helpers for tests of the deployer through the gRPC API: a capsule serving HTTP with
`python -m http.server $PORT`, waits on GetRollout, and the processes a data_dir runs."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import grpc

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
from rigd.proto.model import common_pb2
from rigd.services.composition import ROLES, Rigd, build
from rigd.services.config import Settings

PROJECT, CAPSULE, ENVIRONMENT = "shop", "web", "prod"
WAIT_SECONDS = 120.0  # a bound on waiting, not a timing assertion: a stuck rollout fails the test


def prepared(channel: grpc.Channel) -> capsule_grpc.ServiceStub:
    """A project, an environment `prod` on the local cluster and a capsule `web` with an image."""
    project_grpc.ServiceStub(channel).Create(project_pb.CreateRequest(project_id=PROJECT))
    environment_grpc.ServiceStub(channel).Create(environment_pb.CreateRequest(environment_id=ENVIRONMENT))
    stub = capsule_grpc.ServiceStub(channel)
    stub.Create(pb.CreateRequest(project_id=PROJECT, name=CAPSULE))
    image_grpc.ServiceStub(channel).Add(image_pb.AddRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                                            image="python:3", skip_image_check=True))
    return stub


def http_server_changes(replicas: int) -> list[change_pb2.Change]:
    """`python -m http.server $PORT` on an interface with an HTTP readiness probe."""
    probe = change_pb2.InterfaceProbe(http=change_pb2.InterfaceProbe.HTTP(path="/"))
    return [
        change_pb2.Change(image_id="index.docker.io/library/python:3"),
        change_pb2.Change(command_arguments=change_pb2.Change.CommandArguments(
            command=sys.executable, args=["-m", "http.server", "$PORT", "--bind", "127.0.0.1"])),
        change_pb2.Change(set_interface=change_pb2.Interface(name="http", port=8000, readiness=probe)),
        change_pb2.Change(replicas=replicas),
    ]


def deploy(capsules: capsule_grpc.ServiceStub, changes: list[change_pb2.Change], **fields: Any) -> int:
    fields.setdefault("force", True)
    return int(capsules.Deploy(pb.DeployRequest(project_id=PROJECT, capsule_id=CAPSULE, environment_id=ENVIRONMENT,
                                                changes=changes, **fields)).rollout_id)


def rollout(capsules: capsule_grpc.ServiceStub, rollout_id: int) -> Any:
    return capsules.GetRollout(pb.GetRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                                    rollout_id=rollout_id)).rollout


def instances_step(status: Any) -> Any:
    steps = [step.instances for step in status.stages.running.steps if step.WhichOneof("step") == "instances"]
    return steps[0] if steps else None


def wait_until(condition: Callable[[], Any], what: str, seconds: float = WAIT_SECONDS) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:.0f} s for {what}")
        time.sleep(0.05)


def wait_for_instances(capsules: capsule_grpc.ServiceStub, rollout_id: int) -> Any:
    """The rollout once its instances step is DONE."""

    def done() -> Any:
        found = rollout(capsules, rollout_id)
        step = instances_step(found.status)
        return found if step is not None and step.info.state == status_pb2.STEP_STATE_DONE else None

    return wait_until(done, f"rollout {rollout_id}'s instances step to be DONE")


def events(capsules: capsule_grpc.ServiceStub, rollout_id: int = 0) -> list[tuple[int, str, str]]:
    answer = capsules.ListEvents(pb.ListEventsRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                                      environment_id=ENVIRONMENT, rollout_id=rollout_id,
                                                      pagination=common_pb2.Pagination(limit=1000)))
    return [(e.rollout_id, e.event_data.WhichOneof("kind"), e.message) for e in answer.events]


def processes_under(folder: Path) -> set[int]:
    """The processes whose working directory is under `folder` (the local driver's instances)."""
    found = set()
    resolved = folder.resolve()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue
        if cwd.is_relative_to(resolved):
            found.add(int(entry.name))
    return found


def end_everything(data_dir: Path) -> None:
    """Leaves no process of the local cluster behind after a test, whatever it did: every
    supervisor working in a folder under `data_dir` (recorded or not) and its group."""
    wanted = data_dir.resolve()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue
        if b"rigd.adapters.local_cluster.supervisor" in argv and cwd.is_relative_to(wanted):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(int(entry.name), signal.SIGKILL)


@contextlib.contextmanager
def deploying_rigd(settings: Settings) -> Iterator[Rigd]:
    """rigd with every role (the deployer too) on `settings`; no local process is left after."""
    instance = build(settings)
    instance.start(ROLES)
    try:
        yield instance
    finally:
        instance.close()
        end_everything(settings.data_dir)
