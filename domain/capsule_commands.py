"""Command side of capsules: create, delete, and what other parts ask of capsules.

`CapsuleCommands` is also the `CapsuleImages` port of images (which capsule exists, which
images its current rollouts run), answered from the event store, not a read model, so an
image's delete is decided against the rollouts as they are recorded."""

from __future__ import annotations

from rigd.domain.capsules import Capsule, CapsuleNotFound, capsule_aggregate_id
from rigd.domain.context import CommandContext
from rigd.domain.event_store import EventStore
from rigd.domain.lifecycle import load_live
from rigd.domain.naming import require, validate_system_name
from rigd.domain.projects import Project
from rigd.domain.rollouts import Rollout, rollout_aggregate_id


def load_capsule(store: EventStore, project_id: str, capsule_id: str) -> Capsule:
    """The live capsule; NotFound when it never existed or is deleted."""
    require(project_id, "project_id")
    require(capsule_id, "capsule_id")
    capsule = store.load(capsule_aggregate_id(project_id, capsule_id), Capsule)
    if capsule is None or capsule.deleted:
        raise CapsuleNotFound(capsule_id)
    return capsule


def load_rollout(store: EventStore, project_id: str, capsule_id: str, rollout_id: int) -> Rollout | None:
    if rollout_id <= 0:
        return None
    return store.load(rollout_aggregate_id(project_id, capsule_id, rollout_id), Rollout)


class CapsuleCommands:
    def __init__(self, store: EventStore) -> None:
        self._store = store

    def create(self, ctx: CommandContext, project_id: str, name: str) -> int:
        """Creates the capsule (its id is its name), or revives a deleted one."""
        require(project_id, "project_id")
        validate_system_name(name, "name")

        def decide() -> int:
            project = load_live(self._store, Project, project_id)
            capsule = self._store.load(capsule_aggregate_id(project_id, name), Capsule)
            if capsule is None:
                capsule = Capsule(project_id, name)
            else:
                capsule.revive()
            project.add_capsule(name)
            return self._store.record(capsule, project)

        return self._store.decide(ctx, decide)

    def delete(self, ctx: CommandContext, project_id: str, capsule_id: str) -> int:
        """Deletes the capsule from every environment: its current rollouts stop (the deployer
        removes their resources), and its history is kept."""

        def decide() -> int:
            capsule = load_capsule(self._store, project_id, capsule_id)
            stopped = []
            for rollout_id in capsule.current.values():
                rollout = load_rollout(self._store, project_id, capsule_id, rollout_id)
                if rollout is not None and rollout.stop():
                    stopped.append(rollout)
            capsule.delete()
            project = self._store.load(Project.create_id(project_id), Project)
            if project is not None:
                project.remove_capsule(capsule_id)
            return self._store.record(capsule, *stopped, *([project] if project is not None else []))

        return self._store.decide(ctx, decide)

    def require_capsule(self, project_id: str, capsule_id: str) -> None:
        """NotFound unless the capsule exists (the live capsule RPCs and images ask this)."""
        load_capsule(self._store, project_id, capsule_id)

    def current_rollout_id(self, project_id: str, environment_id: str, capsule_id: str) -> int:
        """The capsule's current rollout in the environment (0 if none); NotFound without the capsule."""
        return load_capsule(self._store, project_id, capsule_id).current_rollout_id(environment_id)

    def images_in_use(self, project_id: str, capsule_id: str) -> set[str]:
        """The images the capsule's current rollouts run, in every environment (stopped ones
        included: their config is what the environment would run again)."""
        capsule = self._store.load(capsule_aggregate_id(project_id, capsule_id), Capsule)
        if capsule is None or capsule.deleted:
            return set()
        in_use = set()
        for rollout_id in capsule.current.values():
            rollout = load_rollout(self._store, project_id, capsule_id, rollout_id)
            if rollout is not None and rollout.config.get("image_id"):
                in_use.add(str(rollout.config["image_id"]))
        return in_use
