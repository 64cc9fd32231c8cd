"""Aggregates that live long and change often load from a snapshot, not from all history."""

from __future__ import annotations

from rigd.domain.context import CommandContext
from rigd.domain.environment_commands import EnvironmentSpec
from rigd.domain.environments import DEFAULT_ENVIRONMENT_ID, DefaultEnvironment
from rigd.domain.projects import Project
from rigd.services.composition import Rigd


def _snapshot_versions(rigd: Rigd, aggregate_id: object) -> list[int]:
    assert rigd.store.snapshots is not None
    return [s.originator_version for s in rigd.store.snapshots.get(aggregate_id)]  # type: ignore[arg-type]


def test_a_project_renamed_many_times_is_snapshotted_and_loads_the_same(rigd: Rigd) -> None:
    ctx = CommandContext()
    rigd.projects.create(ctx, "busy")
    for number in range(120):
        rigd.projects.rename(ctx, "busy", [f"name {number}"])
    project_id = Project.create_id("busy")
    assert _snapshot_versions(rigd, project_id) == [50, 100]
    loaded = rigd.store.load(project_id, Project)
    assert loaded is not None and loaded.version == 121 and loaded.name == "name 119"
    # The snapshot is only a shortcut: replaying every event gives the same state.
    replayed = rigd.store.repository.get(project_id, projector_func=lambda _a, events: _replay(events))
    assert replayed.name == loaded.name and replayed.version == loaded.version


def _replay(events):  # type: ignore[no-untyped-def]
    aggregate = None
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def test_the_default_environment_index_is_snapshotted(rigd: Rigd) -> None:
    ctx = CommandContext()
    for name in ("east", "west"):
        rigd.environments.create(ctx, EnvironmentSpec(name, "local"))
    for number in range(60):
        rigd.environments.set_default(ctx, "west" if number % 2 == 0 else "east", [True])
    versions = _snapshot_versions(rigd, DEFAULT_ENVIRONMENT_ID)
    assert versions and all(v % 50 == 0 for v in versions)
    index = rigd.store.load(DEFAULT_ENVIRONMENT_ID, DefaultEnvironment)
    assert index is not None and index.environment_id == "east"
