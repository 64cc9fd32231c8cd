"""Cron job executions: the Jobs the capsule's CronJobs started (rig-behavior 4.7).

A CronJob `<capsule>-<job>` labels its Jobs `rig.dev/capsule=<capsule>` and
`batch.kubernets.io/cronjob=<job>` (its job template's labels) and the cluster makes the
CronJob their controlling owner; only Jobs with both are the capsule's executions. The
rollout id is the `rig.dev/rollout` annotation copied from the job template; the execution id
is the Job's name (`<cronjob>-<scheduled minute>`, stable while the Job exists)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rigd.adapters.kubernetes.cluster_api import JOB, KubeApi, label_selector
from rigd.adapters.kubernetes.metadata import CAPSULE_LABEL, CRONJOB_LABEL, ROLLOUT_ANNOTATION
from rigd.adapters.kubernetes.pods import timestamp
from rigd.domain.cluster_driver import CapsulePlace, JobExecution, JobState


def job_executions(api: KubeApi, place: CapsulePlace, job_name: str | None) -> list[JobExecution]:
    labels = {CAPSULE_LABEL: place.capsule_id}
    if job_name is not None:
        labels[CRONJOB_LABEL] = job_name
    selector = label_selector(labels, () if job_name is not None else (CRONJOB_LABEL,))
    jobs = api.items(JOB.collection(place.namespace), [("labelSelector", selector)])
    executions = [execution(job) for job in jobs if _started_by_cron_job(job, place.capsule_id)]
    return sorted(executions, key=lambda e: (e.created_at, e.execution_id))


def execution(job: dict[str, Any]) -> JobExecution:
    meta, status = job["metadata"], job.get("status") or {}
    state, finished = _state(status)
    rollout = (meta.get("annotations") or {}).get(ROLLOUT_ANNOTATION, "")
    return JobExecution(
        execution_id=str(meta["name"]),
        job_name=str((meta.get("labels") or {}).get(CRONJOB_LABEL, "")),
        rollout_id=int(rollout) if str(rollout).isdigit() else 0,
        state=state,
        retries=int(status.get("failed", 0)),
        created_at=timestamp(meta.get("creationTimestamp")) or datetime.now(UTC),
        finished_at=finished,
    )


def _state(status: dict[str, Any]) -> tuple[JobState, datetime | None]:
    """A Job's terminal condition: Complete, or Failed (TERMINATED when its deadline ended it)."""
    for condition in status.get("conditions") or []:
        if condition.get("status") != "True":
            continue
        when = timestamp(status.get("completionTime") or condition.get("lastTransitionTime"))
        if condition.get("type") == "Complete":
            return JobState.COMPLETED, when
        if condition.get("type") == "Failed":
            ended = timestamp(condition.get("lastTransitionTime"))
            return (JobState.TERMINATED if condition.get("reason") == "DeadlineExceeded" else JobState.FAILED), ended
    return JobState.ONGOING, None


def _started_by_cron_job(job: dict[str, Any], capsule: str) -> bool:
    meta = job["metadata"]
    cron_job = f"{capsule}-{(meta.get('labels') or {}).get(CRONJOB_LABEL, '')}"
    return any(owner.get("kind") == "CronJob" and owner.get("name") == cron_job
               for owner in meta.get("ownerReferences") or [])
