"""Helpers for the local cluster driver's tests: a driver over a temporary root with short
back-off and grace periods, configs that run real processes, and waiting on conditions."""

from __future__ import annotations

import base64
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest

from rigd.adapters.local_cluster import procfs, state
from rigd.adapters.local_cluster.driver import LocalCluster
from rigd.adapters.local_cluster.launcher import Timing
from rigd.domain.cluster_driver import CapsulePlace, ExecOutput, ExecRequest, LogLine
from rigd.domain.rendering import RenderTarget

T = TypeVar("T")
FAST = Timing(backoff_base=0.3, backoff_cap=2.0, reset_after=60.0, grace=2.0, probe_period=0.2)
PYTHON = sys.executable


def target(rollout_id: int = 1, capsule: str = "web") -> RenderTarget:
    return RenderTarget("shop", "prod", capsule, "shop", rollout_id)


def place(capsule: str = "web") -> CapsulePlace:
    return CapsulePlace.of(target(capsule=capsule))


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def http_config(replicas: int = 2, **overrides: Any) -> dict[str, Any]:
    """`python -m http.server` on `$(PORT)`, ready when GET / answers."""
    config: dict[str, Any] = {
        "replicas": replicas,
        "image_id": "index.docker.io/library/python:3.12",
        "container_settings": {
            "command": PYTHON,
            "args": ["-u", "-m", "http.server", "$(PORT)", "--bind", "127.0.0.1"],
            "environment_variables": {"GREETING": "hello"},
        },
        "network": {"interfaces": [{"name": "http", "port": 8080, "readiness": {"http": {"path": "/"}}}]},
        "config_files": [{"path": "/etc/app/settings.txt", "content": b64("a=1\n")}],
    }
    config.update(overrides)
    return config


def wait_for(condition: Callable[[], T], what: str, timeout: float = 30.0) -> T:
    """The first truthy answer of `condition`, asked until `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        answer = condition()
        if answer:
            return answer
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out waiting for {what}; last answer: {answer!r}")
        time.sleep(0.05)


def ready_ids(driver: LocalCluster, at: CapsulePlace, count: int) -> list[str] | None:
    instances = driver.instances(at)
    if len(instances) == count and all(instance.ready for instance in instances):
        return [instance.instance_id for instance in instances]
    return None


def run(driver: LocalCluster, at: CapsulePlace, instance_id: str, *argv: str, stdin: bytes | None = None,
        **request: Any) -> tuple[bytes, int | None]:
    """Runs a command in the instance; its whole output and exit code."""
    session = driver.execute(at, instance_id, ExecRequest(argv[0], tuple(argv[1:]),
                                                          interactive=stdin is not None, **request))
    if stdin is not None:
        session.send(stdin)
        session.close_stdin()
    output = b"".join(item.data for item in _within(iter(session), 20))
    return output, session.exit_code


def _within(items: Iterator[ExecOutput], timeout: float) -> Iterator[ExecOutput]:
    deadline = time.monotonic() + timeout
    for item in items:
        yield item
        assert time.monotonic() < deadline, "the command ran too long"


class FollowedLogs:
    """A followed log feed read by a thread of its own, so that a test can wait on it."""

    def __init__(self, feed: Any) -> None:
        self.feed = feed
        self.lines: queue.Queue[LogLine] = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        for line in self.feed:
            self.lines.put(line)

    def wait_for(self, predicate: Callable[[LogLine], bool], what: str, timeout: float = 30.0) -> LogLine:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"timed out waiting for a log line {what}")
            if predicate(line):
                return line

    def close(self) -> None:
        self.feed.close()
        self.thread.join(timeout=5)
        assert not self.thread.is_alive(), "closing the feed did not end it"


def supervisors(root: Path) -> list[procfs.ProcessIdentity]:
    """Every supervisor any capsule under `root` has on record."""
    found = []
    for folder in state.capsule_folders(root):
        current = state.CapsuleState.load(folder)
        found += [r.supervisor for r in current.instances if r.supervisor is not None]
        found += [e.supervisor for e in current.executions if e.supervisor is not None]
    return found


def processes(identity: procfs.ProcessIdentity) -> list[int]:
    """The live processes of a supervisor's group (the supervisor and what it runs)."""
    if procfs.group_ended(identity):
        return []
    return procfs.group_members(identity.pid)


def kill_everything(root: Path) -> None:
    """Leaves no process behind after a test, whatever it did."""
    for identity in supervisors(root):
        procfs.end_group(identity, signal.SIGKILL)


@contextmanager
def running_cluster(root: Path, **options: Any) -> Iterator[LocalCluster]:
    """A driver over `root` with its background work running; afterwards every capsule is
    stopped and no process it started is left, whatever the test did."""
    cluster = LocalCluster(root, FAST, tick=0.1, **options)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.close()
        try:
            for folder in state.capsule_folders(root):
                cluster.stop(CapsulePlace("shop", "prod", folder.name, "shop"))
        finally:
            kill_everything(root)
