"""Cron jobs: each due schedule starts one execution (id `<capsule>-<job>-<minute>`, as a
Kubernetes CronJob names its Jobs, so a schedule is never run twice), a fresh process for a
command job or requests to an instance for a URL job; finished executions beyond
`KEPT_PER_JOB` per job are forgotten."""

from __future__ import annotations

import shutil
import urllib.parse
from datetime import datetime
from typing import Any

from rigd.adapters.local_cluster import specs
from rigd.adapters.local_cluster.cron import CronSchedule
from rigd.adapters.local_cluster.files import moment, now, private_dir, timestamp
from rigd.adapters.local_cluster.lifecycle import Lifecycle
from rigd.adapters.local_cluster.probes import free_port
from rigd.adapters.local_cluster.state import CapsuleState, ExecutionRecord
from rigd.adapters.local_cluster.views import execution_status

KEPT_PER_JOB = 50


def update_jobs(state: CapsuleState, jobs: list[specs.CronJobSpec], rollout_id: int, since: datetime) -> None:
    """Sets the capsule's cron jobs; a job already there keeps counting from its last run."""
    previous = {job["spec"]["name"]: job for job in state.jobs}
    state.jobs = [
        {
            "spec": job.to_json(),
            "rollout_id": rollout_id,
            "since": previous[job.name]["since"] if job.name in previous else timestamp(since),
        }
        for job in jobs
    ]


def run_due(state: CapsuleState, until: datetime, lifecycle: Lifecycle) -> None:
    """Starts an execution of each job whose schedule came due since it last ran."""
    for job in state.jobs:
        spec = specs.CronJobSpec.from_json(job["spec"])
        since = moment(job["since"])
        assert since is not None
        due = CronSchedule.parse(spec.schedule).latest(since, until)
        if due is None:
            # Nothing came due up to `until`: the next look starts from its minute (so the scan
            # stays short, and the state changes once a minute at most).
            job["since"] = timestamp(max(since, until.replace(second=0, microsecond=0)))
            continue
        job["since"] = timestamp(due)
        execution_id = f"{state.folder.name}-{spec.name}-{int(due.timestamp()) // 60}"
        if any(record.execution_id == execution_id for record in state.executions):
            continue
        start(state, spec, int(job["rollout_id"]), execution_id, lifecycle)
    forget_finished(state)


def start(
    state: CapsuleState, job: specs.CronJobSpec, rollout_id: int, execution_id: str, lifecycle: Lifecycle
) -> None:
    assert state.template is not None
    template = specs.template_from_json(state.template)
    folder = private_dir(state.execution_folder(execution_id))
    url = None if job.url is None else _url(state, lifecycle, template, job.url)
    supervisor = lifecycle.launcher.execution(folder, template, job, url)
    state.executions.append(ExecutionRecord(execution_id, job.name, rollout_id, now(), supervisor))


def _url(state: CapsuleState, lifecycle: Lifecycle, template: specs.Template, target: tuple[int, str, Any]) -> str:
    """The URL of the job on a ready instance serving the port (a refused one if none does,
    so the execution fails and retries as a request to a missing service would)."""
    port, path, query = target
    names = [interface.name for interface in template.interfaces if interface.port == port]
    instances = [r for r in state.live if names and names[0] in r.ports and lifecycle.ready(state, r)]
    local_port = instances[0].ports[names[0]] if instances else free_port()
    suffix = f"?{urllib.parse.urlencode(query)}" if query else ""
    return f"http://127.0.0.1:{local_port}{path if path.startswith('/') else '/' + path}{suffix}"


def forget_finished(state: CapsuleState) -> None:
    kept: list[ExecutionRecord] = []
    for record in reversed(state.executions):
        same_job = sum(1 for other in kept if other.job_name == record.job_name)
        finished = execution_status(state, record).get("state", "ONGOING") != "ONGOING"
        if same_job >= KEPT_PER_JOB and finished:
            shutil.rmtree(state.execution_folder(record.execution_id), ignore_errors=True)
        else:
            kept.append(record)
    state.executions = kept[::-1]
