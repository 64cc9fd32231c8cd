"""The port through which rigd runs capsules on a cluster, and what it answers.

Two drivers implement `ClusterDriver`: the local one (each instance a process on this machine)
and, later, the Kubernetes one. The deployer applies a rollout's config through `apply` and
waits on `instances`; the capsule RPCs read live state (`instances`, `logs`, `metrics`) and act
on instances (`restart`, `execute`). Live state is never stored as events; the deployer records
what it decides from it (DESIGN: what becomes an event). Results are plain frozen dataclasses,
so neither the domain nor the read models see a driver's or the wire's types.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

from rigd.domain.errors import FailedPrecondition, NotFound, Unavailable
from rigd.domain.naming import quoted
from rigd.domain.rendering import RenderTarget
from rigd.domain.rollout_config import Config


@dataclass(frozen=True)
class CapsulePlace:
    """A capsule in one environment: what every live query and action is about."""

    project_id: str
    environment_id: str
    capsule_id: str
    namespace: str

    @classmethod
    def of(cls, target: RenderTarget) -> CapsulePlace:
        return cls(target.project_id, target.environment_id, target.capsule_id, target.namespace)


@dataclass(frozen=True)
class ProjectPlace:
    """A project in one environment (the objects of all its capsules there)."""

    project_id: str
    environment_id: str
    namespace: str


class Outcome(Enum):
    """What applying did to one object (ConfigureCapsuleStep's result, and FAILED)."""

    CREATED = "CREATED"
    UPDATED = "UPDATED"
    NO_CHANGE = "NO_CHANGE"
    DELETED = "DELETED"
    FAILED = "FAILED"


class ApplyStage(Enum):
    """Which rollout stage reports an object: the objects the platform writes (the capsule,
    its environment and its files) are configured; the objects made from them (the
    deployment, cron jobs) are created in the resource creation stage."""

    CONFIGURE = "configure"
    RESOURCE_CREATION = "resource_creation"


@dataclass(frozen=True)
class AppliedObject:
    """One object a rollout makes, and what `apply` did to it. `kind` is lower-case
    (`deployment`), the step name is `<kind>/<name>`. `path` and `is_secret` describe a
    config file's object. A FAILED object carries the reason in `message`; `permanent`
    says retrying the same config cannot help (the deployer then fails the rollout)."""

    kind: str
    name: str
    outcome: Outcome
    stage: ApplyStage
    message: str = ""
    path: str = ""
    is_secret: bool = False
    permanent: bool = False

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.name}"


class Phase(Enum):
    """An instance's phase (the legacy `Instance.state`)."""

    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class Readiness(Enum):
    """The running stage's ReadyStep state."""

    NOT_READY = "NOT_READY"
    READY = "READY"
    CRASH_LOOP_BACKOFF = "CRASH_LOOP_BACKOFF"


class ImagePull(Enum):
    """The preparing stage's ImagePullingStep state (the local driver never pulls: DONE)."""

    PULLING = "PULLING"
    ERROR = "ERROR"
    BACK_OFF = "BACK_OFF"
    DONE = "DONE"


@dataclass(frozen=True)
class Termination:
    """How a container (one run of an instance's process) ended."""

    exit_code: int
    signal: int
    reason: str
    started_at: datetime | None
    finished_at: datetime
    message: str = ""
    container_id: str = ""


@dataclass(frozen=True)
class InstanceState:
    """One instance as the cluster sees it now. `started_at` is the current container's
    start (None while it waits to start), `restarts` counts container restarts,
    `fail_count`/`failed_at` the crashes the current back-off counts."""

    instance_id: str
    rollout_id: int
    image: str
    created_at: datetime
    started_at: datetime | None
    phase: Phase
    readiness: Readiness
    restarts: int
    fail_count: int = 0
    failed_at: datetime | None = None
    last_termination: Termination | None = None
    image_pull: ImagePull = ImagePull.DONE
    node: str = ""
    message: str = ""
    deleted_at: datetime | None = None

    @property
    def ready(self) -> bool:
        return self.deleted_at is None and self.readiness is Readiness.READY


class LogStream(Enum):
    STDOUT = "stdout"
    STDERR = "stderr"
    TERMINATION = "termination"
    """A container ended (the wire's `container_termination`); `data` is empty."""


@dataclass(frozen=True)
class LogLine:
    timestamp: datetime
    instance_id: str
    stream: LogStream
    data: bytes


@dataclass(frozen=True)
class LogSelection:
    """Which logs to read: one instance (or all when None), lines written at or after
    `since` ago (all when None), the previous container's instead of the current one's, and
    whether to keep following new lines."""

    instance_id: str | None = None
    follow: bool = False
    since: timedelta | None = None
    previous: bool = False


class LogFeed(Protocol):
    """Log lines in time order per instance. With `follow` the iteration blocks for new lines
    and ends only after `close()`, which any thread may call (a stream whose client left)."""

    def __iter__(self) -> Iterator[LogLine]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class TerminalSize:
    rows: int
    columns: int


@dataclass(frozen=True)
class ExecRequest:
    """What to run inside an instance. With a `tty` the command gets a terminal of that size
    and its stdout and stderr arrive merged as stdout."""

    command: str
    args: tuple[str, ...] = ()
    tty: TerminalSize | None = None
    interactive: bool = False


@dataclass(frozen=True)
class ExecOutput:
    stream: LogStream
    data: bytes


class ExecSession(Protocol):
    """A running command: feed it, read it, learn its exit code. Iterating yields its output
    until it ends; `exit_code` is then known. `close()` ends it early (the client left)."""

    def send(self, data: bytes) -> None: ...

    def close_stdin(self) -> None: ...

    def resize(self, size: TerminalSize) -> None: ...

    def __iter__(self) -> Iterator[ExecOutput]: ...

    @property
    def exit_code(self) -> int | None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class InstanceMetrics:
    """An instance's main container at `timestamp`: CPU time used so far and resident memory."""

    instance_id: str
    timestamp: datetime
    cpu_ms: int
    memory_bytes: int
    storage_bytes: int = 0


class JobState(Enum):
    ONGOING = "ONGOING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    TERMINATED = "TERMINATED"


@dataclass(frozen=True)
class JobExecution:
    """One run of a cron job (with its retries). `execution_id` is stable: the same run is
    reported with the same id until it is gone, so the deployer can record each change once."""

    execution_id: str
    job_name: str
    rollout_id: int
    state: JobState
    retries: int
    created_at: datetime
    finished_at: datetime | None = None


@dataclass(frozen=True)
class CustomMetric:
    """A custom metric's latest value (`GetCustomInstanceMetrics`, `GetCustomObjectMetrics`)."""

    name: str
    latest_value: float
    latest_timestamp: datetime


@dataclass(frozen=True)
class ObjectReference:
    kind: str
    name: str
    api_version: str = ""


class ClusterDriver(Protocol):
    """Runs capsules on one cluster. Every method is safe to call from several threads."""

    def apply(self, target: RenderTarget, config: Config) -> list[AppliedObject]:
        """Makes the capsule in `target`'s environment run `config` as rollout
        `target.rollout_id`: creates, updates and deletes its objects and reports each one.
        Applying the same target and config again changes nothing (all NO_CHANGE). When an
        object cannot be applied, nothing is, and only the FAILED objects are answered. Secret
        file contents arrive opened. Raises `ClusterUnavailable` when the cluster cannot be
        reached (the deployer retries)."""

    def instances(self, place: CapsulePlace, include_deleted: bool = False) -> list[InstanceState]:
        """The capsule's instances now, oldest first; with `include_deleted`, also those
        deleted in the past 7 days (their `deleted_at` set)."""

    def stop(self, place: CapsulePlace) -> list[AppliedObject]:
        """Removes everything of the capsule in the environment (its processes or objects) and
        reports each object DELETED. Stopping a capsule that runs nothing reports nothing."""

    def restart(self, place: CapsulePlace, instance_id: str) -> None:
        """Replaces the instance by a new one (a new id), as deleting a pod does. Raises
        `InstanceNotFound`."""

    def logs(self, place: CapsulePlace, selection: LogSelection) -> LogFeed:
        """The capsule's log lines; raises `InstanceNotFound` for an unknown instance."""

    def execute(self, place: CapsulePlace, instance_id: str, request: ExecRequest) -> ExecSession:
        """Starts a command in the instance's environment. Raises `InstanceNotFound`, or
        `ExecFailed` when the command cannot start."""

    def metrics(self, place: CapsulePlace, instance_id: str | None = None) -> list[InstanceMetrics]:
        """CPU and memory of the capsule's running instances (or of one)."""

    def job_executions(self, place: CapsulePlace, job_name: str | None = None) -> list[JobExecution]:
        """The cron job executions the cluster still knows, oldest first."""

    def custom_metrics(self, place: CapsulePlace) -> list[CustomMetric]:
        """The custom metrics the capsule's instances export (none where nothing collects them)."""

    def objects_by_kind(self, place: ProjectPlace, kind: str, api_version: str) -> list[ObjectReference]:
        """The objects of a kind in the project's namespace of the environment."""

    def object_metrics(self, place: ProjectPlace, reference: ObjectReference) -> list[CustomMetric]:
        """The custom metrics of one object."""


class InstanceNotFound(NotFound):
    def __init__(self, instance_id: str) -> None:
        super().__init__(f"instance {quoted(instance_id)} not found")


class ExecFailed(FailedPrecondition):
    def __init__(self, instance_id: str, reason: str) -> None:
        super().__init__(f"cannot execute in instance {quoted(instance_id)}: {reason}")


class ClusterUnavailable(Unavailable):
    """The cluster could not be reached or answered an error worth retrying."""
