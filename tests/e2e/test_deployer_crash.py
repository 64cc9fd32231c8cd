"""The deployer killed (SIGKILL) in the middle of rollouts, as a real `rigd serve` process on
the embedded default, and started again: each rollout still reaches its DONE instances step,
no stage is recorded twice, and exactly the rollout's processes run (none orphaned, none twice)."""

from __future__ import annotations

import random
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import grpc

from rigd.proto.api.v1.capsule import change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.proto.api.v1.capsule import service_pb2_grpc as capsule_grpc
from rigd.proto.api.v1.capsule.rollout import status_pb2
from tests.deploying import (
    CAPSULE,
    PROJECT,
    deploy,
    end_everything,
    events,
    http_server_changes,
    prepared,
    processes_under,
    rollout,
    wait_for_instances,
    wait_until,
)
from tests.e2e.processes import ADMIN_PASSWORD, BIN, Served, clean_environment
from tests.principals import calling_as


@contextmanager
def capsule_service(served: Served) -> Iterator[capsule_grpc.ServiceStub]:
    with grpc.insecure_channel(served.address) as channel:
        yield capsule_grpc.ServiceStub(calling_as(channel, served.authorization))


def killed(served: Served) -> None:
    served.process.kill()  # SIGKILL: no clean stop, the lease and any batch in flight are left as they are
    served.process.wait(timeout=30)


def servers(data_dir: Path) -> set[int]:
    """The http.server processes of the capsule's instances."""
    found = set()
    for pid in processes_under(data_dir):
        try:
            if b"http.server" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.add(pid)
        except OSError:
            continue
    return found


def test_a_killed_deployer_finishes_its_rollouts_without_duplicates(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    with ExitStack() as cleanup:  # (whatever fails, no rigd and no instance outlives the test)
        cleanup.callback(end_everything, data_dir)

        def served(name: str) -> Served:
            started = Served(tmp_path, log=tmp_path / f"{name}.log")
            cleanup.callback(started.end)
            return started

        first = served("first")
        with grpc.insecure_channel(first.address) as channel:
            prepared(calling_as(channel, first.authorization))
        with capsule_service(first) as capsules:
            one = deploy(capsules, http_server_changes(replicas=2))
        killed(first)  # most likely while the deployer applies rollout `one`

        second = served("second")
        with capsule_service(second) as capsules:
            wait_for_instances(capsules, one)
            two = deploy(capsules, [change_pb2.Change(replicas=3)])
        time.sleep(random.uniform(0.0, 0.5))  # anywhere in rollout `two`'s stages
        killed(second)

        third = served("third")
        with capsule_service(third) as capsules:
            done = wait_for_instances(capsules, two)
            assert done.status.state == status_pb2.STATE_RUNNING
            assert rollout(capsules, one).status.result == status_pb2.RESULT_REPLACED
            recorded = events(capsules)
            assert max(Counter(recorded).values()) == 1, recorded  # no stage twice
            for rollout_id in (one, two):
                assert [m for r, _, m in recorded if r == rollout_id].count("All instances are running") == 1
            wait_until(lambda: len(servers(data_dir)) == 3, "the replaced rollout's instances to be retired", 60)
            capsules.StopRollout(pb.StopRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE, rollout_id=two))
            wait_until(lambda: (two, "rollout", "cluster resources removed") in events(capsules, two),
                       "the stopped rollout's resources to be removed")
            assert servers(data_dir) == set()
        third.terminate()


def test_a_deployer_process_killed_at_random_points_records_each_stage_once(tmp_path: Path) -> None:
    """`rigd deployer` on its own beside an api process; killed at a random point after each
    Deploy (while it applies, records, or watches) and started again."""
    data_dir = tmp_path / "var"
    api = Served(tmp_path, log=tmp_path / "api.log", arguments=("serve", "--roles", "api,projector"))
    logs = iter(range(100))

    def deployer() -> subprocess.Popen[str]:
        with (tmp_path / f"deployer-{next(logs)}.log").open("w") as log:
            return subprocess.Popen([str(BIN / "rigd"), "deployer"], cwd=tmp_path, stdout=log,
                                    stderr=subprocess.STDOUT, text=True,
                                    env=clean_environment(RIGD_METRICS_LISTEN="", RIGD_ADMIN_PASSWORD=ADMIN_PASSWORD))

    running = deployer()
    try:
        with capsule_service(api) as capsules, grpc.insecure_channel(api.address) as channel:
            prepared(calling_as(channel, api.authorization))
            rollouts = []
            for replicas in (1, 2, 1):
                rollouts.append(deploy(capsules, [*http_server_changes(replicas)]))
                time.sleep(random.uniform(0.0, 0.3))
                running.kill()
                running.wait(timeout=30)
                running = deployer()
                wait_for_instances(capsules, rollouts[-1])
            recorded = events(capsules)
            assert max(Counter(recorded).values()) == 1, recorded
            for rollout_id in rollouts:
                assert [m for r, _, m in recorded if r == rollout_id].count("cluster resources configured") == 1
            wait_until(lambda: len(servers(data_dir)) == 1, "exactly the last rollout's instance")
            capsules.StopRollout(pb.StopRolloutRequest(project_id=PROJECT, capsule_id=CAPSULE,
                                                       rollout_id=rollouts[-1]))
            wait_until(lambda: servers(data_dir) == set(), "the stopped rollout's processes to end")
    finally:
        running.terminate()
        running.wait(timeout=30)
        api.end()
        end_everything(data_dir)
