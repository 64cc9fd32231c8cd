"""The project: the top-most thing capsules belong to. Its id is chosen by its creator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.errors import AlreadyExists, NotFound
from rigd.domain.events import AuditedCreated, AuditedEvent, register_former_topics
from rigd.domain.identity import stable_id
from rigd.domain.lifecycle import Revivable
from rigd.domain.naming import quoted, validate_display_name


class ProjectNotFound(NotFound):
    def __init__(self, project_id: str) -> None:
        super().__init__(f"project {quoted(project_id)} not found")


class ProjectAlreadyExists(AlreadyExists):
    def __init__(self, project_id: str) -> None:
        super().__init__(f"project {quoted(project_id)} already exists")


@dataclass(frozen=True)
class ProjectSummary:
    """What the API shows of a project, as its recorded events say."""

    project_id: str
    name: str
    installation_id: str
    created_at: datetime
    updated_at: datetime


class Project(Revivable):
    """A project. Deleting keeps its history; creating the same id again revives it."""

    TOPIC = "project"
    key_field = "project_id"
    not_found = ProjectNotFound
    already_exists = ProjectAlreadyExists

    class Created(AuditedCreated):
        TOPIC = "project.Created"
        project_id: str
        name: str
        installation_id: str
        public_key: str
        sealed_private_key: str

    class Renamed(AuditedEvent):
        TOPIC = "project.Renamed"
        name: str

    class Deleted(AuditedEvent):
        TOPIC = "project.Deleted"

    class Recreated(AuditedEvent):
        TOPIC = "project.Recreated"
        name: str
        public_key: str
        sealed_private_key: str

    class CapsuleAdded(AuditedEvent):
        """A capsule was created (or revived) in the project, in the same save."""

        TOPIC = "project.CapsuleAdded"
        capsule_id: str

    class CapsuleRemoved(AuditedEvent):
        """A capsule of the project was deleted, in the same save."""

        TOPIC = "project.CapsuleRemoved"
        capsule_id: str

    # The capsules created (or revived) since the project recorded them: recorded in the same
    # save as each capsule's creation and deletion, so a project Delete and a capsule Create
    # racing each other write one aggregate, and the event store lets only one of them win.
    # (A class default: projects and snapshots from before it hold none.)
    capsule_ids: tuple[str, ...] = ()

    @staticmethod
    def create_id(project_id: str, **_: Any) -> UUID:
        return stable_id("project", project_id)

    @event(Created)
    def __init__(
        self, project_id: str, name: str, installation_id: str, public_key: str, sealed_private_key: str
    ) -> None:
        self.project_id = project_id
        self.name = name
        self.installation_id = installation_id
        self.public_key = public_key
        self.sealed_private_key = sealed_private_key
        self.deleted = False
        self.revived_on: datetime | None = None

    @classmethod
    def register(cls, project_id: str, name: str, installation_id: str, key_pair: tuple[str, str]) -> Project:
        validate_display_name(name, "name")
        public_key, sealed_private_key = key_pair
        return cls(project_id, name, installation_id, public_key, sealed_private_key)

    def revive(self, name: str, key_pair: tuple[str, str]) -> None:
        self.require_deleted()
        validate_display_name(name, "name")
        self._recreated(name, *key_pair)

    def rename(self, name: str) -> None:
        self.require_live()
        validate_display_name(name, "name")
        if name != self.name:
            self._renamed(name)

    def delete(self) -> None:
        self.require_live()
        self._deleted()

    def add_capsule(self, capsule_id: str) -> None:
        self.require_live()
        if capsule_id not in self.capsule_ids:
            self._capsule_added(capsule_id)

    def remove_capsule(self, capsule_id: str) -> None:
        if capsule_id in self.capsule_ids:
            self._capsule_removed(capsule_id)

    def summary(self) -> ProjectSummary:
        created_at = self.revived_on or self.created_on  # a revived project starts anew
        return ProjectSummary(self.project_id, self.name, self.installation_id, created_at, self.modified_on)

    @event(Renamed)
    def _renamed(self, name: str) -> None:
        self.name = name

    @event(Deleted)
    def _deleted(self) -> None:
        self.deleted = True

    @event(CapsuleAdded)
    def _capsule_added(self, capsule_id: str) -> None:
        self.capsule_ids = (*self.capsule_ids, capsule_id)

    @event(CapsuleRemoved)
    def _capsule_removed(self, capsule_id: str) -> None:
        self.capsule_ids = tuple(c for c in self.capsule_ids if c != capsule_id)

    @event(Recreated)
    def _recreated(
        self, name: str, public_key: str, sealed_private_key: str, timestamp: datetime | None = None
    ) -> None:
        # `timestamp` is the event's own (eventsourcing passes event attributes the method names).
        self.name = name
        self.public_key = public_key
        self.sealed_private_key = sealed_private_key
        self.deleted = False
        self.revived_on = timestamp


register_former_topics(Project, "domain.projects")
