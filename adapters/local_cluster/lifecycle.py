"""Keeping a capsule's instances as its state asks: replicas of the current template started,
extras and replaced instances ended (a replaced one once the new ones are all ready, at once
when it is not ready itself), ended supervisors replaced, deleted instances forgotten after
7 days. Ending a process group is SIGTERM, then SIGKILL after the grace period."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import signal
import threading
import time
from datetime import timedelta

from rigd.adapters.local_cluster import probes, procfs, specs
from rigd.adapters.local_cluster.files import now, private_dir, read_json
from rigd.adapters.local_cluster.launcher import Launcher
from rigd.adapters.local_cluster.procfs import ProcessIdentity
from rigd.adapters.local_cluster.state import CapsuleState, InstanceRecord

log = logging.getLogger(__name__)
DELETED_KEPT = timedelta(days=7)
_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # the letters Kubernetes uses in pod names
KILL_MARGIN_SECONDS = 2.0
ENDED_POLL_SECONDS = 0.005  # a stop waits for this; the next rollout's apply may wait for the stop


class Lifecycle:
    def __init__(self, launcher: Launcher) -> None:
        self.launcher = launcher
        self._ending: dict[ProcessIdentity, float] = {}
        self._ending_lock = threading.Lock()
        self._liveness: dict[str, tuple[int, int, float]] = {}  # instance: container, failures, last probe

    def reconcile(self, state: CapsuleState) -> None:
        self.launcher.reap()
        for record in state.live:
            if not record.alive():
                log.warning("local cluster: the supervisor of %s ended; replacing the instance", record.instance_id)
                self.end(record)  # like a lost pod, it is replaced
        fingerprint = state.template["fingerprint"] if state.template else None
        current = sorted((r for r in state.live if r.template == fingerprint), key=lambda r: r.created_at)
        replaced = [r for r in state.live if r.template != fingerprint]
        if state.template is not None and state.template["command"]:
            template = specs.template_from_json(state.template)
            while len(current) < state.replicas:
                current.append(self.launch(state, template))
        for record in current[state.replicas :]:
            self.end(record)
        current = current[: state.replicas]
        if replaced:
            all_ready = all(self.ready(state, record) for record in current)
            for record in replaced:
                if all_ready or not self.ready(state, record):
                    self.end(record)
        self.forget(state)

    def launch(self, state: CapsuleState, template: specs.Template) -> InstanceRecord:
        capsule = state.folder.name
        instance_id = (
            f"{capsule}-{template.fingerprint[:10]}-{''.join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(5))}"
        )
        folder = private_dir(state.instance_folder(instance_id))
        ports, supervisor = self.launcher.instance(folder, template)
        record = InstanceRecord(
            instance_id,
            template.fingerprint,
            template.rollout_id,
            template.image,
            now(),
            ports,
            supervisor,
            {i.name: [i.readiness.kind, i.readiness.path] for i in template.interfaces if i.readiness},
            {i.name: [i.liveness.kind, i.liveness.path] for i in template.interfaces if i.liveness},
        )
        state.instances.append(record)
        return record

    def ready(self, state: CapsuleState, record: InstanceRecord) -> bool:
        """Whether the instance runs and passes its readiness probes."""
        status = read_json(state.instance_folder(record.instance_id) / "status.json") or {}
        if not record.alive() or status.get("state") != "running" or status.get("pid") is None:
            return False
        return all(
            probes.ready(specs.Probe(kind, path), record.ports[name]) for name, (kind, path) in record.probes.items()
        )

    def check_liveness(self, state: CapsuleState) -> None:
        """Probes the liveness of running instances every `probe_period`; after
        `failure_threshold` failures in a row the supervisor restarts the process (SIGUSR1)."""
        timing = self.launcher.timing
        for record in state.instances:
            if record.deleted_at is not None or not record.liveness:
                self._liveness.pop(record.instance_id, None)
                continue
            status = read_json(state.instance_folder(record.instance_id) / "status.json") or {}
            running = status.get("state") == "running" and status.get("pid") is not None
            if not running or not record.alive():
                self._liveness.pop(record.instance_id, None)
                continue
            container, failures, last = self._liveness.get(record.instance_id, (status["container"], 0, 0.0))
            if container != status["container"]:
                container, failures, last = status["container"], 0, 0.0
            if time.monotonic() - last < timing.probe_period:
                continue
            live = all(
                probes.ready(specs.Probe(kind, path), record.ports[name])
                for name, (kind, path) in record.liveness.items()
            )
            failures = 0 if live else failures + 1
            if failures >= timing.failure_threshold and record.supervisor is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(record.supervisor.pid, signal.SIGUSR1)
                failures = 0
            self._liveness[record.instance_id] = (container, failures, time.monotonic())

    def end(self, record: InstanceRecord) -> None:
        """Marks the instance deleted and ends its processes."""
        record.deleted_at = now()
        if record.supervisor is not None:
            self.end_group(record.supervisor)

    def end_group(self, leader: ProcessIdentity) -> None:
        procfs.end_group(leader, signal.SIGTERM)
        with self._ending_lock:
            self._ending[leader] = time.monotonic() + self.launcher.timing.grace + KILL_MARGIN_SECONDS

    def escalate(self) -> None:
        """Kills the groups that outlived their grace period; forgets those that ended."""
        with self._ending_lock:
            for leader, deadline in list(self._ending.items()):
                if procfs.group_ended(leader):
                    del self._ending[leader]
                elif time.monotonic() >= deadline:
                    procfs.end_group(leader, signal.SIGKILL)

    def await_ended(self, leaders: list[ProcessIdentity]) -> None:
        """Waits until the groups have ended, killing them after the grace period."""
        deadline = time.monotonic() + self.launcher.timing.grace + KILL_MARGIN_SECONDS
        while not all(procfs.group_ended(leader) for leader in leaders):
            if time.monotonic() >= deadline:
                for leader in leaders:
                    procfs.end_group(leader, signal.SIGKILL)
                deadline = time.monotonic() + KILL_MARGIN_SECONDS
            time.sleep(ENDED_POLL_SECONDS)
            self.launcher.reap()

    def forget(self, state: CapsuleState) -> None:
        """Removes the folders of deleted instances whose processes have ended, and the records
        of those deleted more than 7 days ago."""
        cutoff = now() - DELETED_KEPT
        for record in state.instances:
            if record.deleted_at is None:
                continue
            folder = state.instance_folder(record.instance_id)
            # Whether the group ended is asked last: once its leader is gone that scans /proc,
            # and records stay 7 days after their folders went.
            if folder.exists() and (record.supervisor is None or procfs.group_ended(record.supervisor)):
                shutil.rmtree(folder, ignore_errors=True)
        state.instances = [r for r in state.instances if r.deleted_at is None or r.deleted_at >= cutoff]
