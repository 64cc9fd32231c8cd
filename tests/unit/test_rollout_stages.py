"""The rules of a rollout's stages: what the instances step counts and when it is DONE, and
that the rollout records each stage once and is in progress until its instances are ready."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from rigd.adapters.local_cluster.specs import expand
from rigd.domain.cluster_driver import InstanceState, Phase, Readiness, Termination
from rigd.domain.context import CommandContext, acting
from rigd.domain.rollout_stages import count_instances, desired_replicas, stuck_message
from rigd.domain.rollouts import FAILED, RUNNING, STOPPED, Rollout
from rigd.projections import rollout_status

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def instance(name: str, rollout_id: int, readiness: Readiness, deleted: bool = False) -> InstanceState:
    ended = Termination(3, 0, "Error", NOW, NOW) if readiness is Readiness.CRASH_LOOP_BACKOFF else None
    return InstanceState(name, rollout_id, "image", NOW, NOW, Phase.RUNNING, readiness, 0, last_termination=ended,
                         deleted_at=NOW if deleted else None)


@pytest.fixture(autouse=True)
def scope() -> Iterator[None]:
    with acting(CommandContext()):
        yield


def rollout() -> Rollout:
    return Rollout("shop", "web", "prod", 2, {"replicas": 2}, [], "", False)


def test_the_instances_step_is_done_when_all_are_updated_and_ready_and_no_other_rollout_is_left() -> None:
    ready = [instance("a", 2, Readiness.READY), instance("b", 2, Readiness.READY)]
    assert count_instances(ready, 2).done(2)
    assert not count_instances(ready[:1], 2).done(2)
    old = instance("old", 1, Readiness.READY)
    counts = count_instances([*ready, old, instance("gone", 1, Readiness.READY, deleted=True)], 2)
    assert (counts.updated, counts.ready, counts.stuck, counts.wrong_version) == (2, 2, 0, 1)
    assert not counts.done(2)
    stuck = [instance("a", 2, Readiness.READY), instance("c", 2, Readiness.CRASH_LOOP_BACKOFF)]
    assert count_instances(stuck, 2).stuck == 1 and not count_instances(stuck, 2).done(2)
    assert stuck_message(stuck, 2) == "instance c is in CrashLoopBackOff: exited with code 3"
    assert desired_replicas({"replicas": 1, "horizontal_scale": {"min_replicas": 3}}) == 3
    scaled_up = [*ready, instance("c", 2, Readiness.READY), instance("d", 2, Readiness.READY)]
    assert count_instances(scaled_up, 2).done(2)  # an autoscaler above its minimum
    assert not count_instances([*scaled_up, instance("e", 2, Readiness.NOT_READY)], 2).done(2)
    assert desired_replicas({}) == 0


def test_each_stage_is_recorded_once_and_the_rollout_is_in_progress_until_its_instances_are_ready() -> None:
    subject = rollout()
    assert not subject.create_resources([])  # stages come in order
    assert subject.configure([]) and not subject.configure([])
    assert subject.create_resources([]) and not subject.create_resources([])
    assert subject.start_running() and not subject.start_running()
    assert subject.state == RUNNING and subject.in_progress
    assert subject.report_stuck(1, "why") and not subject.report_stuck(1, "why")
    assert subject.complete_instances(2, 2, 0, 0) and not subject.complete_instances(2, 2, 0, 0)
    assert not subject.in_progress and subject.state == RUNNING
    subject.replace(3)
    assert subject.state == STOPPED and not subject.configure([])


def test_a_failed_apply_is_recorded_once_per_message_and_a_permanent_one_ends_the_rollout() -> None:
    subject = rollout()
    assert subject.fail_apply("cluster away", permanent=False)
    assert not subject.fail_apply("cluster away", permanent=False)
    assert subject.in_progress
    assert subject.fail_apply("bad config", permanent=True)
    assert (subject.state, subject.result, subject.in_progress) == (STOPPED, FAILED, False)
    assert subject.remove_resources([]) and not subject.remove_resources([])


def test_the_local_cluster_expands_shell_style_and_kubernetes_style_variables() -> None:
    env = {"PORT": "8080"}
    assert [expand(text, env) for text in ("$PORT", "${PORT}/x", "$(PORT)", "$$PORT", "$OTHER", "a$")] == [
        "8080", "8080/x", "8080", "$PORT", "$OTHER", "a$"]


def test_the_stages_show_the_steps_rig_deploy_shows_around_the_objects() -> None:
    """As the CI docs' transcript of `rig deploy` (rig-behavior 4.3): the configure stage ends with
    the commit step; resource creation starts by waiting for the Capsule, then uses its config."""
    stages: rollout_status.Stages = {}
    applied = [{"kind": "configmap", "name": "web", "outcome": "CREATED"},
               {"kind": "capsule", "name": "web", "outcome": "CREATED"}]
    rollout_status.configured(stages, applied, 1)
    rollout_status.resources_created(stages, [{"kind": "deployment", "name": "web", "outcome": "CREATED"}], 2)
    assert [(s["type"], s["name"]) for s in stages["configure"]["steps"]] == [
        ("configure_env", "configmap/web"), ("configure_capsule", "capsule.rig.dev/web"),
        ("generic", "Commit rollout changes")]
    assert stages["configure"]["steps"][-1]["message"] == "Wrote rollout changes to Kubernetes"
    assert [(s["type"], s["name"]) for s in stages["resource_creation"]["steps"]] == [
        ("generic", "Wait for Capsule resource creation"), ("create_resource", "Using object 'configmap/web'"),
        ("create_resource", "Created object 'deployment/web'")]
