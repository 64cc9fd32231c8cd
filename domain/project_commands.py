"""Command side of projects: load, decide, save once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol
from uuid import UUID

from rigd.domain.context import CommandContext
from rigd.domain.errors import FailedPrecondition
from rigd.domain.event_store import EventStore
from rigd.domain.installation import INSTALLATION_ID, Installation
from rigd.domain.lifecycle import load_any, load_live
from rigd.domain.namespaces import NamespaceOwners, check_new_project
from rigd.domain.naming import quoted, validate_display_name, validate_system_name
from rigd.domain.projects import Project, ProjectSummary


class KeyPairs(Protocol):
    def generate(self, owner_id: UUID) -> tuple[str, str]:
        """A new key pair: (public key PEM, private key sealed for the aggregate `owner_id`)."""


class ProjectCapsules(Protocol):
    """Which capsules a project has (the capsules read model)."""

    def capsule_ids(self, project_id: str, limit: int = 5) -> list[str]: ...


class ProjectHasCapsules(FailedPrecondition):
    def __init__(self, project_id: str, capsule_ids: Sequence[str]) -> None:
        names = ", ".join(quoted(capsule_id) for capsule_id in capsule_ids)
        super().__init__(f"project {quoted(project_id)} still has capsules ({names}); delete them first")


class ProjectCommands:
    def __init__(self, store: EventStore, key_pairs: KeyPairs, owners: NamespaceOwners,
                 capsules: ProjectCapsules | None = None) -> None:
        self._store = store
        self._key_pairs = key_pairs
        self._owners = owners
        self._capsules = capsules
        self._installation_id = ""

    def create(self, ctx: CommandContext, project_id: str, names: Sequence[str] = ()) -> tuple[int, ProjectSummary]:
        """Creates (or revives) the project; the last of `names` (the initializers) is its name.
        Returns the notification id written and the project as recorded."""
        validate_system_name(project_id, "project_id")
        check_new_project(project_id, self._owners.environment_templates())
        name = names[-1] if names else project_id
        key_pair = self._key_pairs.generate(Project.create_id(project_id))

        def decide() -> tuple[int, ProjectSummary]:
            project = load_any(self._store, Project, project_id)
            if project is None:
                project = Project.register(project_id, name, self.installation_id(), key_pair)
            else:
                project.revive(name, key_pair)
            return self._store.record(project), project.summary()

        return self._store.decide(ctx, decide)

    def rename(self, ctx: CommandContext, project_id: str, names: Sequence[str]) -> int:
        """Applies the name updates in order and records the final name, once, if it differs
        from the current one; returns 0 when nothing changed (nothing is recorded then)."""
        for name in names:
            validate_display_name(name, "name")

        def rename_to_last(project: Project) -> None:
            if names:
                project.rename(names[-1])

        return self._change(ctx, project_id, rename_to_last)

    def delete(self, ctx: CommandContext, project_id: str) -> int:
        """Deletes the project; one that still has capsules is refused. The project records
        its capsules (in the saves that create and delete them), so a capsule created in the
        same instant makes one of the two saves lose and decide again; the read model answers
        for capsules created before projects recorded them."""

        def delete(project: Project) -> None:
            recorded = self._capsules.capsule_ids(project_id) if self._capsules is not None else []
            capsule_ids = list(dict.fromkeys([*project.capsule_ids, *recorded]))
            if capsule_ids:
                raise ProjectHasCapsules(project_id, capsule_ids[:5])
            project.delete()

        return self._change(ctx, project_id, delete)

    def installation_id(self) -> str:
        if not self._installation_id:
            installation = self._store.load(INSTALLATION_ID, Installation)
            self._installation_id = installation.installation_id if installation else ""
        return self._installation_id

    def _change(self, ctx: CommandContext, project_id: str, change: Callable[[Project], None]) -> int:
        def decide() -> int:
            project = load_live(self._store, Project, project_id)
            change(project)
            return self._store.record(project)

        return self._store.decide(ctx, decide)
