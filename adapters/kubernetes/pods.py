"""Pods as instances (rig-behavior 4.8): the instance id is the pod's name; the status stages
come from the pod's conditions and its main container's status (the container named like the
capsule, else the first).

- schedule: the node (`spec.nodeName`); an unscheduled pod's message is the scheduler's.
- preparing: the image pull, from the container's waiting reason (`ErrImagePull` is ERROR,
  `ImagePullBackOff` BACK_OFF, any other wait before the container first ran PULLING; once
  the container ran, or reports its image id, DONE).
- running: READY when the container is ready; CRASH_LOOP_BACKOFF while it waits with that
  reason (its restarts are the back-off's failures, the last termination their time); else
  NOT_READY. `restarts` and the last termination come from the container status.
- deleted: a pod being deleted (`deletionTimestamp`) is reported with `deleted_at`. Pods the
  API server has removed are gone from it, so the driver cannot report them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rigd.adapters.kubernetes.metadata import ROLLOUT_ANNOTATION
from rigd.domain.cluster_driver import ImagePull, InstanceState, Phase, Readiness, Termination

_PHASES = {"Pending": Phase.PENDING, "Running": Phase.RUNNING, "Succeeded": Phase.SUCCEEDED, "Failed": Phase.FAILED}
_PULL_WAITS = {"ErrImagePull": ImagePull.ERROR, "ImagePullBackOff": ImagePull.BACK_OFF,
               "InvalidImageName": ImagePull.ERROR}
CRASH_LOOP = "CrashLoopBackOff"


def timestamp(value: object) -> datetime | None:
    """An RFC 3339 time of the API (`2026-01-02T03:04:05Z`, maybe with fractions)."""
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)


def main_container_status(pod: dict[str, Any], capsule: str) -> dict[str, Any]:
    statuses = pod.get("status", {}).get("containerStatuses") or []
    for status in statuses:
        if status.get("name") == capsule:
            return dict(status)
    return dict(statuses[0]) if statuses else {}


def instance_state(pod: dict[str, Any], capsule: str) -> InstanceState:
    meta, spec, status = pod["metadata"], pod.get("spec", {}), pod.get("status", {})
    container = main_container_status(pod, capsule)
    state = container.get("state") or {}
    waiting = state.get("waiting") or {}
    last = _termination((container.get("lastState") or {}).get("terminated"))
    crash_looping = waiting.get("reason") == CRASH_LOOP
    restarts = int(container.get("restartCount", 0))
    return InstanceState(
        instance_id=meta["name"],
        rollout_id=_rollout(meta),
        image=_image(spec, capsule),
        created_at=timestamp(meta.get("creationTimestamp")) or datetime.now(UTC),
        started_at=timestamp((state.get("running") or {}).get("startedAt")),
        phase=_PHASES.get(str(status.get("phase")), Phase.PENDING),
        readiness=_readiness(container, crash_looping),
        restarts=restarts,
        fail_count=restarts if crash_looping else 0,
        failed_at=last.finished_at if crash_looping and last else None,
        last_termination=last,
        image_pull=_image_pull(container, waiting),
        node=str(spec.get("nodeName", "")),
        message=_message(status, waiting),
        deleted_at=timestamp(meta.get("deletionTimestamp")),
    )


def _rollout(meta: dict[str, Any]) -> int:
    value = (meta.get("annotations") or {}).get(ROLLOUT_ANNOTATION, "")
    return int(value) if str(value).isdigit() else 0


def _image(spec: dict[str, Any], capsule: str) -> str:
    containers = spec.get("containers") or [{}]
    main = next((c for c in containers if c.get("name") == capsule), containers[0])
    return str(main.get("image", ""))


def _readiness(container: dict[str, Any], crash_looping: bool) -> Readiness:
    if crash_looping:
        return Readiness.CRASH_LOOP_BACKOFF
    return Readiness.READY if container.get("ready") else Readiness.NOT_READY


def _image_pull(container: dict[str, Any], waiting: dict[str, Any]) -> ImagePull:
    reason = str(waiting.get("reason", ""))
    if reason in _PULL_WAITS:
        return _PULL_WAITS[reason]
    ran = container.get("imageID") or container.get("lastState", {}).get("terminated") or not waiting
    return ImagePull.DONE if container and ran else ImagePull.PULLING


def _termination(terminated: dict[str, Any] | None) -> Termination | None:
    if not terminated:
        return None
    finished = timestamp(terminated.get("finishedAt")) or datetime.now(UTC)
    return Termination(
        exit_code=int(terminated.get("exitCode", 0)),
        signal=int(terminated.get("signal", 0)),
        reason=str(terminated.get("reason", "")),
        started_at=timestamp(terminated.get("startedAt")),
        finished_at=finished,
        message=str(terminated.get("message", "")),
        container_id=str(terminated.get("containerID", "")),
    )


def _message(status: dict[str, Any], waiting: dict[str, Any]) -> str:
    """Why the pod is not running yet: the container's wait, else an unscheduled pod's reason."""
    if waiting.get("message"):
        return str(waiting["message"])
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("status") != "True":
            return str(condition.get("message") or condition.get("reason") or "")
    return str(status.get("message", ""))
