"""Pure rules of a rollout's stages (rig-behavior 4.3): the step each applied object makes,
and how the running stage's instances step counts instances and decides it is DONE."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rigd.domain.cluster_driver import AppliedObject, ApplyStage, InstanceState, Outcome, Readiness
from rigd.domain.rollout_config import Config

ALL_RUNNING_MESSAGE = "All instances are running"  # the InstancesStep's message when DONE (ci-cd docs)


def step_document(applied: AppliedObject) -> dict[str, Any]:
    """What a stage event records of one object (plain JSON, no secret: only the path)."""
    return {
        "kind": applied.kind,
        "name": applied.name,
        "outcome": applied.outcome.value,
        "path": applied.path,
        "is_secret": applied.is_secret,
        "message": applied.message,
    }


def stage_steps(applied: Iterable[AppliedObject], stage: ApplyStage) -> list[dict[str, Any]]:
    return [step_document(item) for item in applied if item.stage is stage]


def failure_message(applied: Sequence[AppliedObject]) -> str:
    """One line naming each object that could not be applied, and why."""
    return "; ".join(f"{item.key}: {item.message or 'failed'}" for item in applied if item.outcome is Outcome.FAILED)


def desired_replicas(config: Config) -> int:
    """How many instances the rollout asks for (at least the horizontal scale's minimum)."""
    horizontal = config.get("horizontal_scale") or {}
    return max(int(config.get("replicas") or 0), int(horizontal.get("min_replicas") or 0))


@dataclass(frozen=True)
class InstanceCounts:
    """The InstancesStep's counts: instances of this rollout (updated), of them the ready and
    the stuck (crash looping) ones, and instances of another rollout still there."""

    updated: int
    ready: int
    stuck: int
    wrong_version: int

    def done(self, desired: int) -> bool:
        """At least the desired instances, all of this rollout and ready, and no other rollout's
        left (what the CLI waits for). More than desired is an autoscaler's doing: the
        Deployment leaves its replicas to the HorizontalPodAutoscaler."""
        return self.updated >= desired and self.ready == self.updated and self.wrong_version == 0


def count_instances(instances: Iterable[InstanceState], rollout_id: int) -> InstanceCounts:
    updated = ready = stuck = wrong = 0
    for instance in instances:
        if instance.deleted_at is not None:
            continue
        if instance.rollout_id != rollout_id:
            wrong += 1
            continue
        updated += 1
        ready += instance.ready
        stuck += instance.readiness is Readiness.CRASH_LOOP_BACKOFF
    return InstanceCounts(updated, ready, stuck, wrong)


def stuck_message(instances: Iterable[InstanceState], rollout_id: int) -> str:
    """Why the rollout's crash-looping instances fail, from their last termination."""
    reasons = []
    for instance in instances:
        if instance.rollout_id != rollout_id or instance.readiness is not Readiness.CRASH_LOOP_BACKOFF:
            continue
        ended = instance.last_termination
        why = f"exited with code {ended.exit_code}" if ended is not None else "keeps failing"
        if ended is not None and ended.signal:
            why = f"ended by signal {ended.signal}"
        reasons.append(f"instance {instance.instance_id} is in CrashLoopBackOff: {why}")
    return "; ".join(reasons)
