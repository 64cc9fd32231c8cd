"""A supervisor no state file records (rigd killed between starting it and saving the state)
is ended by the local cluster's background work, so no instance outlives its record."""

from __future__ import annotations

from pathlib import Path

from rigd.adapters.local_cluster import procfs, state
from tests.local_cluster import http_config, place, processes, ready_ids, running_cluster, target, wait_for


def test_an_unrecorded_instance_is_ended_by_the_background_work(tmp_path: Path) -> None:
    with running_cluster(tmp_path / "cluster") as cluster:
        cluster.apply(target(), http_config(replicas=2))
        wait_for(lambda: ready_ids(cluster, place(), 2), "two ready instances")
        (folder,) = state.capsule_folders(tmp_path / "cluster")
        with state.locked(folder) as current:  # as if the save after starting this one never happened
            forgotten = current.instances.pop()
            current.save()
        supervisor = forgotten.supervisor
        assert supervisor is not None and processes(supervisor)
        wait_for(lambda: procfs.group_ended(supervisor), "the unrecorded supervisor to end")
        wait_for(lambda: not current.instance_folder(forgotten.instance_id).exists(),
                 "the unrecorded instance's folder to be removed")
        wait_for(lambda: ready_ids(cluster, place(), 2), "a replacement, two ready instances again")
