"""A rollout's stages as the rollouts read model keeps them: one JSON document per rollout,
changed by the deployer's events, in the shape of api.v1.capsule.rollout.Stages with enum
values by their wire names and times in microseconds (services map it to the message).

    {"configure": {"started_at", "updated_at", "state", "steps": [step, ...]},
     "resource_creation": {...}, "running": {...}}

A step is {"type", "name", "message", "state", "started_at", "updated_at"} and, by type (a
`generic` step has nothing more):
`configure_capsule`/`configure_env` {"result"}, `configure_file` {"result", "path",
"is_secret"}, `create_resource` {"kind", "object"}, `instances` {"num_updated", "num_ready",
"num_stuck", "num_wrong_version"}."""

from __future__ import annotations

from typing import Any

from rigd.domain.rollout_stages import ALL_RUNNING_MESSAGE

Stages = dict[str, Any]

DEPLOYING, RUNNING, STOPPED = "STAGE_STATE_DEPLOYING", "STAGE_STATE_RUNNING", "STAGE_STATE_STOPPED"
ONGOING, FAILED, DONE = "STEP_STATE_ONGOING", "STEP_STATE_FAILED", "STEP_STATE_DONE"
INSTANCES_STEP = "Instances"
# The steps around the objects' own, as `rig deploy` shows them (rig-behavior 4.3, the CI docs)
COMMIT_STEP, COMMIT_MESSAGE = "Commit rollout changes", "Wrote rollout changes to Kubernetes"
WAIT_STEP = "Wait for Capsule resource creation"
_VERBS = {"CREATED": "Created", "UPDATED": "Updated", "NO_CHANGE": "Using", "DELETED": "Deleted",
          "FAILED": "Failed to apply"}


def _object_name(step: dict[str, Any]) -> str:
    kind = "capsule.rig.dev" if step["kind"] == "capsule" else step["kind"]
    return f"{kind}/{step['name']}"


def _stage(stages: Stages, name: str, at: int) -> dict[str, Any]:
    stage = stages.setdefault(name, {"started_at": at, "updated_at": at, "state": DEPLOYING, "steps": []})
    stage["updated_at"] = at
    return stage


def _generic(name: str, message: str, at: int) -> dict[str, Any]:
    return {"type": "generic", "name": name, "message": message, "state": DONE, "started_at": at, "updated_at": at}


def configured(stages: Stages, steps: list[dict[str, Any]], at: int) -> None:
    stage = _stage(stages, "configure", at)
    stage["steps"] = [*(_configure_step(step, at) for step in steps), _generic(COMMIT_STEP, COMMIT_MESSAGE, at)]


def _configure_step(step: dict[str, Any], at: int) -> dict[str, Any]:
    if step.get("path"):
        kind = "configure_file"
    elif step["kind"] in ("configmap", "secret"):
        kind = "configure_env"
    else:
        kind = "configure_capsule"
    failed = step["outcome"] == "FAILED"
    return {"type": kind, "name": _object_name(step), "message": step.get("message", ""),
            "state": FAILED if failed else DONE, "started_at": at, "updated_at": at,
            "result": "CONFIGURE_RESULT_UNSPECIFIED" if failed else f"CONFIGURE_RESULT_{step['outcome']}",
            "path": step.get("path", ""), "is_secret": bool(step.get("is_secret"))}


def resources_created(stages: Stages, steps: list[dict[str, Any]], at: int) -> None:
    """After waiting for the Capsule: the config objects its pods use, then each derived object."""
    stage = _stage(stages, "resource_creation", at)
    configured_steps = stages.get("configure", {}).get("steps", [])
    used = [{"kind": step["name"].split("/", 1)[0], "name": step["name"].split("/", 1)[1], "outcome": "NO_CHANGE"}
            for step in configured_steps if step["type"] in ("configure_env", "configure_file")]
    stage["steps"] = [_generic(WAIT_STEP, "", at), *(_resource_step(step, at) for step in [*used, *steps])]


def _resource_step(step: dict[str, Any], at: int) -> dict[str, Any]:
    name = f"{_VERBS.get(step['outcome'], 'Applied')} object '{_object_name(step)}'"
    return {"type": "create_resource", "name": name,
            "message": step.get("message", ""), "state": FAILED if step["outcome"] == "FAILED" else DONE,
            "started_at": at, "updated_at": at, "kind": step["kind"], "object": step["name"]}


def running_started(stages: Stages, at: int) -> None:
    stage = _stage(stages, "running", at)
    stage["steps"] = [{"type": "instances", "name": INSTANCES_STEP, "message": "Waiting for instances to be ready",
                       "state": ONGOING, "started_at": at, "updated_at": at, "num_updated": 0, "num_ready": 0,
                       "num_stuck": 0, "num_wrong_version": 0}]


def _instances_step(stages: Stages, at: int) -> dict[str, Any] | None:
    stage = stages.get("running")
    if stage is None:
        return None
    stage["updated_at"] = at
    return next((step for step in stage["steps"] if step["type"] == "instances"), None)


def instances_ready(stages: Stages, counts: dict[str, int], at: int) -> None:
    step = _instances_step(stages, at)
    if step is None:
        return
    stages["running"]["state"] = RUNNING
    step.update(counts, state=DONE, message=ALL_RUNNING_MESSAGE, updated_at=at)


def instances_counted(stages: Stages, counts: dict[str, int], at: int) -> None:
    """The instances step's counts as they change; a step that is DONE keeps its final ones."""
    step = _instances_step(stages, at)
    if step is not None and step["state"] != DONE:
        step.update(counts, updated_at=at)


def instances_stuck(stages: Stages, num_stuck: int, message: str, at: int) -> None:
    step = _instances_step(stages, at)
    if step is not None:
        step.update(num_stuck=num_stuck, message=message, updated_at=at)


def ended(stages: Stages, at: int) -> None:
    """The rollout stopped (aborted, replaced, stopped, failed): every stage it reached stops."""
    for stage in stages.values():
        stage["state"], stage["updated_at"] = STOPPED, at
