"""Command side of projects: load, decide, save once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol
from uuid import UUID

from rigd.domain.context import CommandContext
from rigd.domain.event_store import EventStore
from rigd.domain.installation import INSTALLATION_ID, Installation
from rigd.domain.naming import require, validate_system_name
from rigd.domain.projects import Project, ProjectAlreadyExists, ProjectNotFound


class KeyPairs(Protocol):
    def generate(self, owner_id: UUID) -> tuple[str, str]:
        """A new key pair: (public key PEM, private key sealed for the aggregate `owner_id`)."""


class ProjectCommands:
    def __init__(self, store: EventStore, key_pairs: KeyPairs) -> None:
        self._store = store
        self._key_pairs = key_pairs
        self._installation_id = ""

    def create(self, ctx: CommandContext, project_id: str, names: Sequence[str] = ()) -> int:
        """Creates the project; the last of `names` (the initializers) is its name."""
        validate_system_name(project_id, "project_id")
        name = names[-1] if names else project_id
        key_pair = self._key_pairs.generate(Project.create_id(project_id))

        def decide() -> int:
            project = self._store.load(Project.create_id(project_id), Project)
            if project is None:
                project = Project.register(project_id, name, self.installation_id(), key_pair, ctx)
            else:
                project.revive(name, key_pair, ctx)
            return self._store.record(project)

        return self._store.decide(decide, conflict=lambda: ProjectAlreadyExists(project_id))

    def rename(self, ctx: CommandContext, project_id: str, names: Sequence[str]) -> int:
        """Applies the name updates in order; returns 0 when nothing changed."""
        def rename_all(project: Project) -> None:
            for name in names:
                project.rename(name, ctx)

        return self._change(project_id, rename_all)

    def delete(self, ctx: CommandContext, project_id: str) -> int:
        return self._change(project_id, lambda project: project.delete(ctx))

    def installation_id(self) -> str:
        if not self._installation_id:
            installation = self._store.load(INSTALLATION_ID, Installation)
            self._installation_id = installation.installation_id if installation else ""
        return self._installation_id

    def _change(self, project_id: str, change: Callable[[Project], None]) -> int:
        require(project_id, "project_id")

        def decide() -> int:
            project = self._store.load(Project.create_id(project_id), Project)
            if project is None:
                raise ProjectNotFound(project_id)
            project.require_live()
            change(project)
            return self._store.record(project)

        return self._store.decide(decide)
