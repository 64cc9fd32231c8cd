"""Aggregate rules, without a store."""

import pytest

from rigd.domain.context import Actor, CommandContext
from rigd.domain.environments import DefaultEnvironment, Environment, EnvironmentAlreadyExists, EnvironmentNotFound
from rigd.domain.projects import Project, ProjectAlreadyExists, ProjectNotFound

CTX = CommandContext(actor=Actor("ada", "Ada", user_id="u-1"), request_id="req-1")
KEYS = ("public", "sealed")


def test_project_ids_are_deterministic() -> None:
    assert Project.create_id("shop") == Project.create_id(project_id="shop")
    assert Project.create_id("shop") != Project.create_id("blog")
    assert Project.create_id("shop") != Environment.create_id("shop")


def test_project_events_carry_actor_request_and_class_version() -> None:
    project = Project.register("shop", "Shop", "inst", KEYS, CTX)
    project.rename("Shop 2", CTX)
    project.rename("Shop 2", CTX)  # no change, no event
    project.delete(CTX)
    events = project.collect_events()
    assert [type(e).__name__ for e in events] == ["Created", "Renamed", "Deleted"]
    for event in events:
        assert event.actor == CTX.actor.as_record()
        assert event.request_id == "req-1"
        assert type(event).class_version == 1


def test_deleted_project_refuses_changes_and_can_be_revived() -> None:
    project = Project.register("shop", "Shop", "inst", KEYS, CTX)
    project.delete(CTX)
    with pytest.raises(ProjectNotFound):
        project.rename("x", CTX)
    with pytest.raises(ProjectNotFound):
        project.delete(CTX)
    project.revive("Again", ("p2", "s2"), CTX)
    assert (project.deleted, project.name, project.public_key) == (False, "Again", "p2")
    with pytest.raises(ProjectAlreadyExists):
        project.revive("Again", KEYS, CTX)


def test_environment_lifecycle() -> None:
    environment = Environment.create("prod", "c", "{{ .Project.Name }}", CTX)
    with pytest.raises(EnvironmentAlreadyExists):
        environment.revive("c", "", CTX)
    environment.delete(False, CTX)
    with pytest.raises(EnvironmentNotFound):
        environment.delete(True, CTX)
    with pytest.raises(EnvironmentNotFound):
        environment.make_default(CTX)
    environment.revive("d", "{{ .Project.Name }}", CTX)
    assert environment.cluster_id == "d"


def test_default_index_records_only_changes() -> None:
    index = DefaultEnvironment.start(CTX)
    index.choose("prod", CTX)
    index.choose("prod", CTX)
    index.clear("staging", CTX)  # not the default: nothing to clear
    index.clear("prod", CTX)
    assert [type(e).__name__ for e in index.collect_events()] == ["Started", "Chosen", "Cleared"]
    assert index.environment_id == ""
