"""The local cluster's record of one capsule in one environment: `state.json` in the capsule's
folder, changed only under the folder's lock (an flock, so rigd processes sharing the folder
exclude each other too), written whole so readers need no lock."""

from __future__ import annotations

import fcntl
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rigd.adapters.local_cluster.files import append_private, moment, private_dir, read_json, timestamp, write_json
from rigd.adapters.local_cluster.procfs import ProcessIdentity
from rigd.domain.cluster_driver import CapsulePlace

STATE_FILE = "state.json"
_SAFE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")


@dataclass
class InstanceRecord:
    instance_id: str
    template: str
    rollout_id: int
    image: str
    created_at: datetime
    ports: dict[str, int]
    supervisor: ProcessIdentity | None
    probes: dict[str, list[str]] = field(default_factory=dict)
    """The readiness probe (kind, path) of each interface that has one."""
    liveness: dict[str, list[str]] = field(default_factory=dict)
    """The liveness probe (kind, path) of each interface that has one."""
    deleted_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "instance_id": self.instance_id,
            "template": self.template,
            "rollout_id": self.rollout_id,
            "image": self.image,
            "created_at": timestamp(self.created_at),
            "ports": self.ports,
            "supervisor": self.supervisor and self.supervisor.to_json(),
            "probes": self.probes,
            "liveness": self.liveness,
            "deleted_at": timestamp(self.deleted_at),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InstanceRecord:
        supervisor = data.get("supervisor")
        return cls(
            data["instance_id"],
            data["template"],
            int(data["rollout_id"]),
            data["image"],
            moment(data["created_at"]) or datetime.min,
            {k: int(v) for k, v in data["ports"].items()},
            None if supervisor is None else ProcessIdentity.from_json(supervisor),
            data.get("probes") or {},
            data.get("liveness") or {},
            moment(data.get("deleted_at")),
        )

    def alive(self) -> bool:
        return self.supervisor is not None and self.supervisor.alive()


@dataclass
class ExecutionRecord:
    execution_id: str
    job_name: str
    rollout_id: int
    created_at: datetime
    supervisor: ProcessIdentity | None

    def to_json(self) -> dict[str, Any]:
        return {
            "execution_id": self.execution_id,
            "job_name": self.job_name,
            "rollout_id": self.rollout_id,
            "created_at": timestamp(self.created_at),
            "supervisor": self.supervisor and self.supervisor.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExecutionRecord:
        supervisor = data.get("supervisor")
        return cls(
            data["execution_id"],
            data["job_name"],
            int(data["rollout_id"]),
            moment(data["created_at"]) or datetime.min,
            None if supervisor is None else ProcessIdentity.from_json(supervisor),
        )


@dataclass
class CapsuleState:
    """What the local cluster runs for one capsule in one environment."""

    folder: Path
    template: dict[str, Any] | None = None
    replicas: int = 0
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    instances: list[InstanceRecord] = field(default_factory=list)
    jobs: list[dict[str, Any]] = field(default_factory=list)
    executions: list[ExecutionRecord] = field(default_factory=list)

    @property
    def live(self) -> list[InstanceRecord]:
        return [record for record in self.instances if record.deleted_at is None]

    def instance(self, instance_id: str) -> InstanceRecord | None:
        return next((r for r in self.live if r.instance_id == instance_id), None)

    def instance_folder(self, instance_id: str) -> Path:
        return self.folder / "instances" / instance_id

    def execution_folder(self, execution_id: str) -> Path:
        return self.folder / "jobs" / execution_id

    loaded: dict[str, Any] = field(default_factory=dict, repr=False)

    def document(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "replicas": self.replicas,
            "objects": self.objects,
            "instances": [record.to_json() for record in self.instances],
            "jobs": self.jobs,
            "executions": [record.to_json() for record in self.executions],
        }

    def save(self) -> None:
        """Writes the state unless it is as it was loaded."""
        document = self.document()
        if document != self.loaded:
            write_json(self.folder / STATE_FILE, document)
            self.loaded = document

    @classmethod
    def load(cls, folder: Path) -> CapsuleState:
        data = read_json(folder / STATE_FILE) or {}
        state = cls(
            folder,
            data.get("template"),
            int(data.get("replicas", 0)),
            data.get("objects") or {},
            [InstanceRecord.from_json(item) for item in data.get("instances") or []],
            data.get("jobs") or [],
            [ExecutionRecord.from_json(item) for item in data.get("executions") or []],
        )
        state.loaded = state.document() if data else {}
        return state


def capsule_folder(root: Path, place: CapsulePlace) -> Path:
    return (
        root / "capsules" / safe_part(place.environment_id) / safe_part(place.project_id) / safe_part(place.capsule_id)
    )


def capsule_folders(root: Path) -> list[Path]:
    """Every capsule folder that has a state."""
    return sorted(path.parent for path in (root / "capsules").glob(f"*/*/*/{STATE_FILE}"))


def capsule_folders_in(project: Path) -> list[Path]:
    """The capsule folders of one project in one environment."""
    return sorted(path.parent for path in project.glob(f"*/{STATE_FILE}"))


@contextmanager
def locked(folder: Path) -> Iterator[CapsuleState]:
    """The capsule's state, held exclusively until the block ends (save to keep changes)."""
    private_dir(folder)
    with append_private(folder / ".lock") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield CapsuleState.load(folder)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def safe_part(name: str) -> str:
    """A path segment for an id: the id itself when it is a safe file name, else a digest."""
    if _SAFE.match(name) and name not in (".", ".."):
        return name
    return "x-" + hashlib.sha256(name.encode()).hexdigest()[:32]
