"""The local cluster starts each supervisor ahead of need (a spare, waiting for its folder), so an
instance starts without a Python start-up before it. A spare belongs to no instance: it ends
when its launcher closes or its rigd dies, and a lost spare only means a supervisor started
on demand."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from rigd.adapters.local_cluster import procfs, state
from rigd.adapters.local_cluster.launcher import SUPERVISOR_MODULE
from tests.local_cluster import http_config, place, ready_ids, running_cluster, target, wait_for


def spares(parent: int, root: Path) -> list[int]:
    """The supervisors `parent` started that work in no folder under `root` yet."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            cwd = Path(os.readlink(entry / "cwd"))
            parent_pid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if SUPERVISOR_MODULE.encode() in argv and parent_pid == parent and not cwd.is_relative_to(root):
            found.append(int(entry.name))
    return found


def own_spares(root: Path, earlier: set[int]) -> list[int]:
    """This process's spares under `root`, but for `earlier` ones (another test's driver, in
    the same test process, may still be ending its own)."""
    return [pid for pid in spares(os.getpid(), root) if pid not in earlier]


def recorded_supervisors(root: Path) -> list[int]:
    current = state.CapsuleState.load(state.capsule_folder(root, place()))
    return [r.supervisor.pid for r in current.live if r.supervisor is not None]


def test_an_instance_runs_under_the_spare_started_before_it(tmp_path: Path) -> None:
    root = (tmp_path / "cluster").resolve()
    earlier = set(spares(os.getpid(), root))
    with running_cluster(root) as cluster:
        (spare,) = wait_for(lambda: own_spares(root, earlier), "a spare supervisor")
        cluster.apply(target(), http_config(replicas=1))
        assert recorded_supervisors(root) == [spare]
        wait_for(lambda: ready_ids(cluster, place(), 1), "a ready instance")
        (following,) = own_spares(root, earlier)  # the next instance's
        assert following != spare
    wait_for(lambda: procfs.ProcessIdentity.of(following) is None, "the spare to end with its launcher")


def test_an_instance_starts_when_its_spare_was_lost(tmp_path: Path) -> None:
    root = (tmp_path / "cluster").resolve()
    earlier = set(spares(os.getpid(), root))
    with running_cluster(root) as cluster:
        (spare,) = wait_for(lambda: own_spares(root, earlier), "a spare supervisor")
        os.kill(spare, signal.SIGKILL)
        wait_for(lambda: procfs.ProcessIdentity.of(spare) is None, "the spare to die")
        cluster.apply(target(), http_config(replicas=1))
        assert spare not in recorded_supervisors(root)
        wait_for(lambda: ready_ids(cluster, place(), 1), "a ready instance under a new supervisor")


KILLED_RIGD = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    from rigd.adapters.local_cluster.driver import LocalCluster
    from tests.local_cluster import FAST
    LocalCluster(Path(sys.argv[1]), FAST).start()
    time.sleep(0.5)
    print(os.getpid(), flush=True)
    sys.stdin.read()  # until the test has seen the spare
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_a_spare_ends_when_its_rigd_is_killed(tmp_path: Path) -> None:
    root = (tmp_path / "cluster").resolve()
    rigd = subprocess.Popen([sys.executable, "-c", KILLED_RIGD, str(root)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, cwd=Path(__file__).parents[2])
    assert rigd.stdin is not None and rigd.stdout is not None
    pid = int(rigd.stdout.readline())
    (spare,) = wait_for(lambda: spares(pid, root), "the killed rigd's spare supervisor")
    rigd.stdin.close()
    assert rigd.wait(timeout=30) == -signal.SIGKILL
    wait_for(lambda: procfs.ProcessIdentity.of(spare) is None, "the spare to end with its rigd")
