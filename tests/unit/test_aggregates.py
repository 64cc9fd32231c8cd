"""Aggregate rules, without a store."""

import pytest
from eventsourcing.application import project_aggregate

from rigd.domain.capsules import Capsule
from rigd.domain.context import Actor, CommandContext, NoActingContext, acting
from rigd.domain.environments import DefaultEnvironment, Environment, EnvironmentAlreadyExists, EnvironmentNotFound
from rigd.domain.projects import Project, ProjectAlreadyExists, ProjectNotFound

CTX = CommandContext(actor=Actor("ada", "Ada", user_id="u-1"), request_id="req-1", causation_id="cause-1")
KEYS = ("public", "sealed")


@pytest.fixture(autouse=True)
def as_ada():  # type: ignore[no-untyped-def]
    with acting(CTX):
        yield


def test_project_ids_are_deterministic() -> None:
    assert Project.create_id("shop") == Project.create_id(project_id="shop")
    assert Project.create_id("shop") != Project.create_id("blog")
    assert Project.create_id("shop") != Environment.create_id("shop")


def test_events_carry_actor_request_and_causation_by_construction() -> None:
    project = Project.register("shop", "Shop", "inst", KEYS)
    project.rename("Shop 2")
    project.rename("Shop 2")  # no change, no event
    project.delete()
    events = project.collect_events()
    assert [type(e).__name__ for e in events] == ["Created", "Renamed", "Deleted"]
    for event in events:
        assert event.actor == CTX.actor
        assert (event.request_id, event.causation_id) == ("req-1", "cause-1")


def test_an_event_outside_an_acting_scope_is_refused() -> None:
    project = Project.register("shop", "Shop", "inst", KEYS)
    with acting(CommandContext()), pytest.raises(NoActingContext):
        # leave the scope for a moment: the nested scope is reset by a fresh context var run
        import contextvars

        contextvars.Context().run(project.rename, "Elsewhere")
    assert project.name == "Shop"


def test_deleted_project_refuses_changes_and_can_be_revived() -> None:
    project = Project.register("shop", "Shop", "inst", KEYS)
    project.delete()
    with pytest.raises(ProjectNotFound):
        project.rename("x")
    with pytest.raises(ProjectNotFound):
        project.delete()
    project.revive("Again", ("p2", "s2"))
    assert (project.deleted, project.name, project.public_key) == (False, "Again", "p2")
    assert project.summary().created_at == project.modified_on  # a revived project starts anew
    with pytest.raises(ProjectAlreadyExists):
        project.revive("Again", KEYS)


def test_environment_lifecycle() -> None:
    environment = Environment("prod", "c", "{{ .Project.Name }}")
    with pytest.raises(EnvironmentAlreadyExists):
        environment.revive("c", "")
    environment.delete(False)
    with pytest.raises(EnvironmentNotFound):
        environment.delete(True)
    with pytest.raises(EnvironmentNotFound):
        environment.make_default()
    environment.revive("d", "{{ .Project.Name }}")
    assert environment.cluster_id == "d"


def test_default_index_records_only_changes() -> None:
    index = DefaultEnvironment()
    index.choose("prod")
    index.choose("prod")
    index.clear("staging")  # not the default: nothing to clear
    index.clear("prod")
    assert [type(e).__name__ for e in index.collect_events()] == ["Created", "Chosen", "Cleared"]
    assert index.environment_id == ""


def test_a_revived_capsule_continues_its_rollout_ids_but_has_none_of_its_earlier_rollouts() -> None:
    capsule = Capsule("shop", "web")
    assert [capsule.start_rollout("prod"), capsule.start_rollout("dev")] == [1, 2]
    assert capsule.has_rollout(1) and capsule.has_rollout(2) and not capsule.has_rollout(3)
    capsule.delete()
    capsule.revive()
    assert not capsule.has_rollout(1) and not capsule.has_rollout(2)
    assert capsule.start_rollout("prod") == 3
    assert capsule.has_rollout(3)
    replayed = project_aggregate(None, capsule.collect_events())  # (as loading it from the store does)
    assert replayed is not None and [replayed.has_rollout(n) for n in (1, 2, 3)] == [False, False, True]


def test_an_environment_records_each_capsule_deployed_there_until_it_is_deleted() -> None:
    environment = Environment("prod", "c", "")
    environment.add_capsule("shop", "web")
    environment.add_capsule("shop", "api")
    environment.add_capsule("shop", "web")  # (a revived capsule's first Deploy again)
    environment.add_capsule("blog", "web")
    assert environment.deployed_capsules() == [("blog", "web"), ("shop", "api"), ("shop", "web")]
    assert Environment.capsules == {}  # the class default stays empty
    environment.delete(True)
    assert environment.deployed_capsules() == []
    with pytest.raises(EnvironmentNotFound):
        environment.add_capsule("shop", "web")
    replayed = project_aggregate(None, environment.collect_events())
    assert replayed is not None and replayed.deployed_capsules() == [] and replayed.deleted


def test_a_capsule_leaves_a_deleted_environment_and_starts_there_afresh() -> None:
    capsule = Capsule("shop", "web")
    assert not capsule.leave_environment("prod")  # never deployed there: nothing to record
    capsule.start_rollout("prod")
    capsule.start_rollout("dev")
    assert capsule.leave_environment("prod")
    assert capsule.current_rollout_id("prod") == 0 and capsule.current_rollout_id("dev") == 2
    assert capsule.start_rollout("prod") == 3  # ids go on
    names = [type(e).__name__ for e in capsule.collect_events()]
    assert names == ["Created", "RolloutStarted", "RolloutStarted", "EnvironmentDeleted", "RolloutStarted"]
