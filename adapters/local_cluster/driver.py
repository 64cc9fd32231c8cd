"""`LocalCluster`: the cluster driver of the embedded default. Each instance of a capsule is a
real process on this machine, started from the rollout's command and args, watched by a
supervisor process of its own (`supervisor.py`), with its own loopback port per interface, its
config files in its own folder, timestamped logs, and restarts with CrashLoopBackOff timing.

Everything lives under `root` (`capsules/<environment>/<project>/<capsule>/`, mode 0700): a
state file per capsule says which supervisors it started (pid and kernel start time), so a
driver made again over the same root (rigd restarted) adopts the running processes instead of
starting them twice or losing them. Images are recorded, never pulled.

`start()` runs the background work (replacing ended instances, retiring replaced ones once the
new ones are ready, cron schedules): the process that deploys runs it; a process that only
answers queries need not. Environment sources are read from
`root/sources/<namespace>/<configmap|secret>/<name>.json` (a JSON object of strings)."""

from __future__ import annotations

import json
import logging
import shutil
import threading
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

from rigd.adapters.local_cluster import jobs, procfs, specs, state
from rigd.adapters.local_cluster.execs import LocalExecSession
from rigd.adapters.local_cluster.files import now, private_dir, read_json
from rigd.adapters.local_cluster.launcher import Launcher, Timing
from rigd.adapters.local_cluster.lifecycle import DELETED_KEPT, Lifecycle
from rigd.adapters.local_cluster.logfeed import LocalLogFeed
from rigd.adapters.local_cluster.orphans import end_orphans
from rigd.adapters.local_cluster.state import CapsuleState
from rigd.adapters.local_cluster.views import instance_state, job_execution
from rigd.domain.cluster_driver import (
    AppliedObject,
    ApplyStage,
    CapsulePlace,
    ClusterDriver,
    ClusterUnavailable,
    CustomMetric,
    ExecFailed,
    ExecRequest,
    InstanceMetrics,
    InstanceNotFound,
    InstanceState,
    JobExecution,
    LogSelection,
    ObjectReference,
    Outcome,
    ProjectPlace,
)
from rigd.domain.rendering import RenderTarget
from rigd.domain.rollout_config import Config

log = logging.getLogger(__name__)
TICK_SECONDS = 0.5


class LocalCluster:
    def __init__(
        self,
        root: Path,
        timing: Timing | None = None,
        clock: Callable[[], datetime] = now,
        environ: Mapping[str, str] | None = None,
        tick: float = TICK_SECONDS,
    ) -> None:
        """`clock` is the time cron schedules are read against (tests move it)."""
        self.root = private_dir(root.absolute())  # supervisors work in their folders: no relative paths
        self._clock = clock
        self._tick = tick
        self._lifecycle = Lifecycle(Launcher(timing or Timing(), environ, self.root / "supervisors.log"))
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the port ---------------------------------------------------------------------------

    def apply(self, target: RenderTarget, config: Config) -> list[AppliedObject]:
        place = CapsulePlace.of(target)
        with self._locked(place) as current:
            plan = specs.plan(target, config, lambda kind, name: self._env_source(place, kind, name))
            if plan.failures:
                return plan.failures
            outcomes = _compare(current.objects, plan.objects)
            current.objects = {o.key: o.to_json() for o in plan.objects}
            current.template = specs.template_to_json(plan.template)
            current.replicas = plan.replicas
            jobs.update_jobs(current, plan.jobs, target.rollout_id, self._clock())
            self._reconcile(current)
        return outcomes

    def instances(self, place: CapsulePlace, include_deleted: bool = False) -> list[InstanceState]:
        current = self._load(place)
        cutoff = now() - DELETED_KEPT
        records = [r for r in current.instances if r.deleted_at is None or (include_deleted and r.deleted_at >= cutoff)]
        records.sort(key=lambda record: record.created_at)
        return [instance_state(current, r, lambda r: self._lifecycle.ready(current, r)) for r in records]

    def stop(self, place: CapsulePlace) -> list[AppliedObject]:
        with self._locked(place) as current:
            outcomes = [_object(data, Outcome.DELETED) for data in current.objects.values()]
            leaders = [r.supervisor for r in current.live if r.supervisor is not None]
            for record in current.live:
                self._lifecycle.end(record)
            for execution in current.executions:
                if execution.supervisor is not None and execution.supervisor.alive():
                    self._lifecycle.end_group(execution.supervisor)
                    leaders.append(execution.supervisor)
            self._lifecycle.await_ended(leaders)
            current.template, current.replicas, current.objects, current.jobs = None, 0, {}, []
            for execution in current.executions:
                _remove(current.execution_folder(execution.execution_id))
            current.executions = []
            self._lifecycle.forget(current)
            current.save()
        return outcomes

    def restart(self, place: CapsulePlace, instance_id: str) -> None:
        with self._locked(place) as current:
            record = current.instance(instance_id)
            if record is None:
                raise InstanceNotFound(instance_id)
            self._lifecycle.end(record)
            self._reconcile(current)

    def logs(self, place: CapsulePlace, selection: LogSelection) -> LocalLogFeed:
        wanted = selection.instance_id
        if wanted is not None and self._load(place).instance(wanted) is None:
            raise InstanceNotFound(wanted)

        def folders() -> dict[str, Path]:
            current = self._load(place)
            return {
                r.instance_id: current.instance_folder(r.instance_id) / "logs"
                for r in sorted(current.live, key=lambda r: r.created_at)
                if wanted in (None, r.instance_id)
            }

        return LocalLogFeed(folders, selection, now)

    def execute(self, place: CapsulePlace, instance_id: str, request: ExecRequest) -> LocalExecSession:
        current = self._load(place)
        if current.instance(instance_id) is None:
            raise InstanceNotFound(instance_id)
        folder = current.instance_folder(instance_id)
        spec, status = read_json(folder / "spec.json"), read_json(folder / "status.json") or {}
        if spec is None or status.get("state") != "running":
            raise ExecFailed(instance_id, "the instance is not running")
        if not request.command:
            raise ExecFailed(instance_id, "no command given")
        try:
            return LocalExecSession([request.command, *request.args], spec["env"], Path(spec["cwd"]), request)
        except OSError as error:
            raise ExecFailed(instance_id, error.strerror or str(error)) from None

    def metrics(self, place: CapsulePlace, instance_id: str | None = None) -> list[InstanceMetrics]:
        current = self._load(place)
        if instance_id is not None and current.instance(instance_id) is None:
            raise InstanceNotFound(instance_id)
        result = []
        for record in current.live:
            if instance_id in (None, record.instance_id) and record.supervisor and record.supervisor.alive():
                leader = record.supervisor.pid
                cpu_ms, memory = procfs.usage([pid for pid in procfs.group_members(leader) if pid != leader])
                result.append(InstanceMetrics(record.instance_id, now(), cpu_ms, memory))
        return result

    def job_executions(self, place: CapsulePlace, job_name: str | None = None) -> list[JobExecution]:
        current = self._load(place)
        return [job_execution(current, e) for e in current.executions if job_name in (None, e.job_name)]

    def custom_metrics(self, place: CapsulePlace) -> list[CustomMetric]:
        return []  # nothing collects custom metrics from local processes

    def objects_by_kind(self, place: ProjectPlace, kind: str, api_version: str) -> list[ObjectReference]:
        """The local objects of that kind (`Deployment`, `CronJob`, ...) of the project's capsules."""
        folder = self.root / "capsules" / state.safe_part(place.environment_id) / state.safe_part(place.project_id)
        wanted = kind.lower()
        return [
            ObjectReference(kind, str(data["name"]), api_version)
            for capsule in state.capsule_folders_in(folder)
            for data in CapsuleState.load(capsule).objects.values()
            if data["kind"] == wanted
        ]

    def object_metrics(self, place: ProjectPlace, reference: ObjectReference) -> list[CustomMetric]:
        return []

    # -- background work --------------------------------------------------------------------

    def start(self) -> None:
        """Starts the background work in a thread (see the module's description)."""
        self._thread = threading.Thread(target=self._run, name="local-cluster", daemon=True)
        self._thread.start()
        self._lifecycle.launcher.prepare()  # the first instance starts without waiting for a supervisor

    def close(self) -> None:
        """Stops the background work and ends the spare supervisor. The instances keep running (a
        new driver adopts them)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._lifecycle.launcher.close()

    def tick(self) -> None:
        """One round of background work over every capsule under the root."""
        for folder in state.capsule_folders(self.root):
            try:
                with state.locked(folder) as current:
                    end_orphans(current)
                    self._reconcile(current)
                    self._lifecycle.check_liveness(current)
                    jobs.run_due(current, self._clock(), self._lifecycle)
                    current.save()
            except Exception:  # one capsule's trouble must not stop the others' work
                log.exception("local cluster: background work on %s failed", folder)
        self._lifecycle.escalate()

    def run_schedules(self, until: datetime | None = None) -> None:
        """Starts the cron job executions that came due by `until` (the clock's now)."""
        for folder in state.capsule_folders(self.root):
            with state.locked(folder) as current:
                jobs.run_due(current, until or self._clock(), self._lifecycle)
                current.save()

    def _run(self) -> None:
        while not self._stopping.wait(self._tick):
            try:
                self.tick()
            except Exception:  # one bad round must not end the background work
                log.exception("local cluster: background round failed")

    # -- helpers -----------------------------------------------------------------------------

    def _folder(self, place: CapsulePlace) -> Path:
        return state.capsule_folder(self.root, place)

    def _load(self, place: CapsulePlace) -> CapsuleState:
        return CapsuleState.load(self._folder(place))

    def _locked(self, place: CapsulePlace) -> AbstractContextManager[CapsuleState]:
        return state.locked(self._folder(place))

    def _reconcile(self, current: CapsuleState) -> None:
        try:
            self._lifecycle.reconcile(current)
        except OSError as error:
            raise ClusterUnavailable(f"the local cluster cannot start a process: {error}") from error
        finally:
            current.save()

    def _env_source(self, place: CapsulePlace, kind: str, name: str) -> dict[str, str] | None:
        path = self.root / "sources" / state.safe_part(place.namespace) / kind / f"{state.safe_part(name)}.json"
        try:
            data = json.loads(path.read_bytes())
        except (FileNotFoundError, ValueError):
            return None
        return {str(key): str(value) for key, value in data.items()} if isinstance(data, dict) else None


def _compare(before: dict[str, dict[str, object]], planned: list[specs.PlannedObject]) -> list[AppliedObject]:
    """What applying `planned` over `before` does to each object, configure stage first."""
    outcomes = []
    for item in planned:
        previous = before.get(item.key)
        if previous is None:
            outcomes.append(item.outcome(Outcome.CREATED))
        elif previous["fingerprint"] != item.fingerprint:
            outcomes.append(item.outcome(Outcome.UPDATED))
        else:
            outcomes.append(item.outcome(Outcome.NO_CHANGE))
    keys = {item.key for item in planned}
    outcomes += [_object(data, Outcome.DELETED) for key, data in before.items() if key not in keys]
    order = [ApplyStage.CONFIGURE, ApplyStage.RESOURCE_CREATION]
    return sorted(outcomes, key=lambda o: (order.index(o.stage), o.outcome is Outcome.DELETED))


def _object(data: Mapping[str, object], outcome: Outcome) -> AppliedObject:
    return AppliedObject(
        str(data["kind"]),
        str(data["name"]),
        outcome,
        ApplyStage(data["stage"]),
        path=str(data.get("path", "")),
        is_secret=bool(data.get("is_secret")),
    )


def _conforms(driver: LocalCluster) -> ClusterDriver:
    return driver  # mypy checks here that the local cluster implements the port


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


__all__ = ["LocalCluster", "Timing"]
