"""The local cluster driver keeps instances as Kubernetes keeps pods: restarts with back-off,
replaces, scales, stops without leaving a process, and survives its own restart."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from rigd.adapters.local_cluster import procfs, state
from rigd.adapters.local_cluster.driver import LocalCluster
from rigd.adapters.local_cluster.files import read_json
from rigd.domain.cluster_driver import LogSelection, LogStream, Outcome, Phase, Readiness
from tests.local_cluster import (
    FAST,
    PYTHON,
    FollowedLogs,
    http_config,
    kill_everything,
    place,
    processes,
    ready_ids,
    running_cluster,
    supervisors,
    target,
    wait_for,
)


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[LocalCluster]:
    with running_cluster(tmp_path / "cluster") as cluster:
        yield cluster


def crashing_config() -> dict[str, object]:
    return http_config(
        replicas=1,
        container_settings={"command": PYTHON, "args": ["-c", "import sys; print('boom', flush=True); sys.exit(3)"]},
    )


def test_a_crashing_process_is_restarted_with_growing_back_off(driver: LocalCluster) -> None:
    followed = FollowedLogs(driver.logs(place(), LogSelection(follow=True)))
    try:
        driver.apply(target(), crashing_config())
        starts = [followed.wait_for(lambda line: line.data == b"boom\n", f"start {n}").timestamp for n in range(5)]
    finally:
        followed.close()
    gaps = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(starts)]
    # The first restart is at once; then base, 2 base, 4 base (at least: back-off is a floor).
    assert gaps[1] >= FAST.backoff_base * 0.9
    assert gaps[2] >= 2 * FAST.backoff_base * 0.9
    assert gaps[3] >= 4 * FAST.backoff_base * 0.9
    assert gaps[3] > gaps[1]
    [instance] = wait_for(
        lambda: [i for i in driver.instances(place()) if i.readiness is Readiness.CRASH_LOOP_BACKOFF],
        "the instance in CrashLoopBackOff",
    )
    assert instance.phase is Phase.RUNNING and not instance.ready
    assert instance.fail_count >= 4 and instance.restarts >= 4 and instance.failed_at is not None
    assert instance.last_termination is not None
    assert (instance.last_termination.exit_code, instance.last_termination.reason) == (3, "Error")
    assert "back-off" in instance.message
    previous = list(driver.logs(place(), LogSelection(previous=True)))
    assert [line.stream for line in previous] == [LogStream.STDOUT, LogStream.TERMINATION]


def test_a_process_failing_its_liveness_probe_is_restarted(driver: LocalCluster) -> None:
    def probed(liveness_path: str) -> dict[str, object]:
        probes = {"readiness": {"http": {"path": "/"}}, "liveness": {"http": {"path": liveness_path}}}
        return http_config(replicas=1, network={"interfaces": [{"name": "http", "port": 8080, **probes}]})

    driver.apply(target(capsule="healthy"), probed("/"))
    wait_for(lambda: ready_ids(driver, place("healthy"), 1), "the healthy instance ready")
    driver.apply(target(), probed("/no-such-page"))
    [instance] = wait_for(lambda: [i for i in driver.instances(place()) if i.restarts >= 2], "two restarts")
    assert [i.restarts for i in driver.instances(place("healthy"))] == [0]
    assert instance.last_termination is not None
    assert instance.last_termination.message == "liveness probe failed"
    assert instance.last_termination.signal == signal.SIGTERM  # asked to end, as the kubelet does


def test_restarting_an_instance_replaces_it_with_a_new_one(driver: LocalCluster) -> None:
    driver.apply(target(), http_config(replicas=2))
    first = wait_for(lambda: ready_ids(driver, place(), 2), "two ready instances")
    old_supervisor = next(r.supervisor for r in load(driver).live if r.instance_id == first[0])
    driver.restart(place(), first[0])
    now = wait_for(lambda: (ids := ready_ids(driver, place(), 2)) and first[0] not in ids and ids, "a new instance")
    assert first[1] in now and len(set(now) - set(first)) == 1
    assert old_supervisor is not None
    wait_for(lambda: not processes(old_supervisor), "the old instance's processes to end")
    deleted = [i for i in driver.instances(place(), include_deleted=True) if i.deleted_at is not None]
    assert [i.instance_id for i in deleted] == [first[0]]


def test_an_ended_instance_records_its_exit_status_whichever_saw_the_signal_first(tmp_path: Path) -> None:
    """Ending an instance signals its whole process group: the process may end before its
    supervisor has seen its own signal, or after; either way the termination is recorded as
    the kubelet records it (an Error with exit code 143 for a process SIGTERM ended)."""
    root = tmp_path / "cluster"
    cluster = LocalCluster(root, FAST)  # (no background work: nothing replaces the ended instances)
    try:
        cluster.apply(target(), http_config(replicas=3))
        current = wait_for(lambda: ready_ids(cluster, place(), 3) and load(cluster), "three ready instances")
        for record in current.live:
            assert record.supervisor is not None
            procfs.end_group(record.supervisor, signal.SIGTERM)
        for record in current.live:
            assert record.supervisor is not None
            wait_for(lambda r=record.supervisor: procfs.group_ended(r), "the instance's group to end")
        ended = [read_json(current.instance_folder(r.instance_id) / "status.json")["last_termination"]
                 for r in current.live]
        assert [(t["reason"], t["exit_code"], t["signal"]) for t in ended] == [("Error", 143, signal.SIGTERM)] * 3
    finally:
        cluster.close()
        kill_everything(root)


def test_following_an_instance_ends_when_it_is_replaced(driver: LocalCluster) -> None:
    driver.apply(target(), http_config(replicas=1))
    [instance_id] = wait_for(lambda: ready_ids(driver, place(), 1), "a ready instance")
    followed = FollowedLogs(driver.logs(place(), LogSelection(instance_id=instance_id, follow=True)))
    followed.wait_for(lambda line: b"Serving HTTP" in line.data, "of the server starting")
    driver.restart(place(), instance_id)
    followed.thread.join(timeout=10)
    assert not followed.thread.is_alive()


def test_a_process_that_ignores_sigterm_is_killed_after_the_grace_period(driver: LocalCluster) -> None:
    stubborn = {"command": "sh", "args": ["-c", "trap '' TERM; echo started; sleep 600"]}
    driver.apply(target(), http_config(replicas=1, network={}, container_settings=stubborn))
    [instance_id] = wait_for(lambda: ready_ids(driver, place(), 1), "a running instance")
    wait_for(lambda: any(b"started" in line.data for line in driver.logs(place(), LogSelection())), "the trap set")
    pids = [pid for leader in supervisors(driver.root) for pid in processes(leader)]
    driver.stop(place())
    assert all(procfs.ProcessIdentity.of(pid) is None for pid in pids)
    assert instance_id


def test_scaling_down_ends_the_extra_instances(driver: LocalCluster) -> None:
    driver.apply(target(), http_config(replicas=3))
    three = wait_for(lambda: ready_ids(driver, place(), 3), "three ready instances")
    leaders = {r.instance_id: r.supervisor for r in load(driver).live}
    outcomes = driver.apply(target(), http_config(replicas=1))
    assert {o.key: o.outcome for o in outcomes}["deployment/web"] is Outcome.UPDATED
    assert [i.instance_id for i in driver.instances(place())] == three[:1]  # the oldest stays
    for instance_id in three[1:]:
        leader = leaders[instance_id]
        assert leader is not None
        wait_for(lambda leader=leader: not processes(leader), "the extra instance's processes to end")


def test_a_new_rollout_replaces_every_instance_once_the_new_ones_are_ready(driver: LocalCluster) -> None:
    driver.apply(target(1), http_config(replicas=2))
    old = wait_for(lambda: ready_ids(driver, place(), 2), "two ready instances")
    settings = {**http_config()["container_settings"], "environment_variables": {"GREETING": "bonjour"}}
    outcomes = {o.key: o.outcome for o in driver.apply(target(2), http_config(replicas=2, container_settings=settings))}
    assert outcomes["configmap/web"] is Outcome.UPDATED and outcomes["deployment/web"] is Outcome.UPDATED
    new = wait_for(lambda: (ids := ready_ids(driver, place(), 2)) and not set(ids) & set(old) and ids, "new instances")
    assert {i.rollout_id for i in driver.instances(place())} == {2}
    assert len(new) == 2
    removed = driver.apply(target(3), http_config(replicas=2, config_files=[]))
    assert [o.path for o in removed if o.outcome is Outcome.DELETED] == ["/etc/app/settings.txt"]


def test_a_broken_rollout_keeps_the_ready_instances_of_the_one_before(driver: LocalCluster) -> None:
    driver.apply(target(1), http_config(replicas=1))
    [good] = wait_for(lambda: ready_ids(driver, place(), 1), "a ready instance")
    driver.apply(target(2), crashing_config())
    wait_for(lambda: any(i.readiness is Readiness.CRASH_LOOP_BACKOFF for i in driver.instances(place())),
             "the new instance crash-looping")
    assert any(i.instance_id == good and i.ready and i.rollout_id == 1 for i in driver.instances(place()))
    driver.apply(target(3), http_config(replicas=1))  # the roll back
    [back] = wait_for(lambda: (ids := ready_ids(driver, place(), 1)) and ids[0] != good and ids, "the rolled back one")
    assert [i.rollout_id for i in driver.instances(place())] == [3]
    assert back


def test_stopping_removes_every_object_and_process(driver: LocalCluster) -> None:
    driver.apply(target(), http_config(replicas=2))
    wait_for(lambda: ready_ids(driver, place(), 2), "two ready instances")
    leaders = supervisors(driver.root)
    pids = [pid for leader in leaders for pid in processes(leader)]
    assert len(pids) >= 4  # two supervisors and two servers
    outcomes = driver.stop(place())
    assert {o.outcome for o in outcomes} == {Outcome.DELETED}
    assert {o.key for o in outcomes} >= {"capsule/web", "deployment/web", "configmap/web"}
    assert all(procfs.ProcessIdentity.of(pid) is None for pid in pids)
    assert driver.instances(place()) == []
    assert driver.stop(place()) == []
    instances = state.capsule_folder(driver.root, place()) / "instances"
    assert list(instances.iterdir()) == []  # the instances' folders (files, logs) are gone


def test_an_instance_whose_supervisor_was_killed_is_replaced_without_leftovers(driver: LocalCluster) -> None:
    driver.apply(target(), http_config(replicas=1))
    [first] = wait_for(lambda: ready_ids(driver, place(), 1), "a ready instance")
    [leader] = supervisors(driver.root)
    server = [pid for pid in processes(leader) if pid != leader.pid]
    os.kill(leader.pid, signal.SIGKILL)
    wait_for(lambda: (ids := ready_ids(driver, place(), 1)) and ids != [first], "a replacement")
    wait_for(lambda: all(procfs.ProcessIdentity.of(pid) is None for pid in server), "the orphaned server to end")


ADOPTABLE = textwrap.dedent(
    """
    import sys, json
    from pathlib import Path
    from rigd.adapters.local_cluster.driver import LocalCluster
    from tests.local_cluster import FAST, http_config, target
    driver = LocalCluster(Path(sys.argv[1]), FAST)
    driver.apply(target(), http_config(replicas=2))
    """
)


def test_a_new_driver_adopts_the_processes_a_previous_rigd_started(driver: LocalCluster, tmp_path: Path) -> None:
    # A rigd that applied and exited: its supervisors live on, children of nobody.
    subprocess.run([sys.executable, "-c", ADOPTABLE, str(driver.root)], check=True, timeout=60,
                   cwd=Path(__file__).parents[2])
    ids = wait_for(lambda: ready_ids(driver, place(), 2), "the adopted instances ready")
    leaders = supervisors(driver.root)
    outcomes = driver.apply(target(), http_config(replicas=2))
    assert {o.outcome for o in outcomes} == {Outcome.NO_CHANGE}
    driver.tick()
    assert ready_ids(driver, place(), 2) == ids
    assert supervisors(driver.root) == leaders and all(leader.alive() for leader in leaders)
    other = LocalCluster(driver.root, FAST)  # yet another driver over the same root
    assert [i.instance_id for i in other.instances(place())] == ids
    pids = [pid for leader in leaders for pid in processes(leader)]
    other.stop(place())
    assert all(procfs.ProcessIdentity.of(pid) is None for pid in pids)


def load(driver: LocalCluster) -> state.CapsuleState:
    return state.CapsuleState.load(state.capsule_folder(driver.root, place()))
