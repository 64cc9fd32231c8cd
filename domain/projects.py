"""The project: the top-most thing capsules belong to. Its id is chosen by its creator."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from rigd.domain.context import CommandContext
from rigd.domain.errors import AlreadyExists, NotFound
from rigd.domain.events import AuditedCreated, AuditedEvent
from rigd.domain.identity import stable_id
from rigd.domain.naming import validate_display_name


class ProjectNotFound(NotFound):
    def __init__(self, project_id: str) -> None:
        super().__init__(f"project {project_id!r} not found")


class ProjectAlreadyExists(AlreadyExists):
    def __init__(self, project_id: str) -> None:
        super().__init__(f"project {project_id!r} already exists")


class Project(Aggregate):
    """A project. Deleting keeps its history; creating the same id again revives it."""

    class Created(AuditedCreated):
        class_version = 1
        project_id: str
        name: str
        installation_id: str
        public_key: str
        sealed_private_key: str

    class Renamed(AuditedEvent):
        class_version = 1
        name: str

    class Deleted(AuditedEvent):
        class_version = 1

    class Recreated(AuditedEvent):
        class_version = 1
        name: str
        public_key: str
        sealed_private_key: str

    @staticmethod
    def create_id(project_id: str, **_: Any) -> UUID:
        return stable_id("project", project_id)

    @event(Created)
    def __init__(
        self,
        project_id: str,
        name: str,
        installation_id: str,
        public_key: str,
        sealed_private_key: str,
        actor: dict[str, Any],
        request_id: str,
    ) -> None:
        self.project_id = project_id
        self.name = name
        self.installation_id = installation_id
        self.public_key = public_key
        self.sealed_private_key = sealed_private_key
        self.deleted = False

    @classmethod
    def register(
        cls, project_id: str, name: str, installation_id: str, key_pair: tuple[str, str], ctx: CommandContext
    ) -> Project:
        validate_display_name(name, "name")
        public_key, sealed_private_key = key_pair
        return cls(
            project_id=project_id,
            name=name,
            installation_id=installation_id,
            public_key=public_key,
            sealed_private_key=sealed_private_key,
            **ctx.event_fields(),
        )

    def revive(self, name: str, key_pair: tuple[str, str], ctx: CommandContext) -> None:
        if not self.deleted:
            raise ProjectAlreadyExists(self.project_id)
        validate_display_name(name, "name")
        self._recreated(name, key_pair[0], key_pair[1], **ctx.event_fields())

    def rename(self, name: str, ctx: CommandContext) -> None:
        self.require_live()
        validate_display_name(name, "name")
        if name != self.name:
            self._renamed(name, **ctx.event_fields())

    def delete(self, ctx: CommandContext) -> None:
        self.require_live()
        self._deleted(**ctx.event_fields())

    def require_live(self) -> None:
        if self.deleted:
            raise ProjectNotFound(self.project_id)

    @event(Renamed)
    def _renamed(self, name: str, actor: dict[str, Any], request_id: str) -> None:
        self.name = name

    @event(Deleted)
    def _deleted(self, actor: dict[str, Any], request_id: str) -> None:
        self.deleted = True

    @event(Recreated)
    def _recreated(
        self, name: str, public_key: str, sealed_private_key: str, actor: dict[str, Any], request_id: str
    ) -> None:
        self.name = name
        self.public_key = public_key
        self.sealed_private_key = sealed_private_key
        self.deleted = False
