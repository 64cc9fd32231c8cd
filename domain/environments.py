"""Environments (where capsules run) and the one default environment."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from rigd.domain.context import CommandContext
from rigd.domain.errors import AlreadyExists, NotFound
from rigd.domain.events import AuditedCreated, AuditedEvent
from rigd.domain.identity import stable_id

DEFAULT_ENVIRONMENT_ID = stable_id("environment-default", "rigd")


class EnvironmentNotFound(NotFound):
    def __init__(self, environment_id: str) -> None:
        super().__init__(f"environment {environment_id!r} not found")


class EnvironmentAlreadyExists(AlreadyExists):
    def __init__(self, environment_id: str) -> None:
        super().__init__(f"environment {environment_id!r} already exists")


class Environment(Aggregate):
    """An environment on a cluster. Deleting keeps its history; creating it again revives it."""

    class Created(AuditedCreated):
        class_version = 1
        environment_id: str
        cluster_id: str
        namespace_template: str

    class Deleted(AuditedEvent):
        class_version = 1
        force: bool

    class Recreated(AuditedEvent):
        class_version = 1
        cluster_id: str
        namespace_template: str

    class MadeDefault(AuditedEvent):
        """Recorded beside DefaultEnvironment.Chosen, so that a concurrent delete of this
        environment conflicts with the choice instead of leaving a deleted default."""

        class_version = 1

    @staticmethod
    def create_id(environment_id: str, **_: Any) -> UUID:
        return stable_id("environment", environment_id)

    @event(Created)
    def __init__(
        self, environment_id: str, cluster_id: str, namespace_template: str, actor: dict[str, Any], request_id: str
    ) -> None:
        self.environment_id = environment_id
        self.cluster_id = cluster_id
        self.namespace_template = namespace_template
        self.deleted = False

    @classmethod
    def create(
        cls, environment_id: str, cluster_id: str, namespace_template: str, ctx: CommandContext
    ) -> Environment:
        return cls(
            environment_id=environment_id,
            cluster_id=cluster_id,
            namespace_template=namespace_template,
            **ctx.event_fields(),
        )

    def revive(self, cluster_id: str, namespace_template: str, ctx: CommandContext) -> None:
        if not self.deleted:
            raise EnvironmentAlreadyExists(self.environment_id)
        self._recreated(cluster_id, namespace_template, **ctx.event_fields())

    def delete(self, force: bool, ctx: CommandContext) -> None:
        self.require_live()
        self._deleted(force, **ctx.event_fields())

    def make_default(self, ctx: CommandContext) -> None:
        self.require_live()
        self._made_default(**ctx.event_fields())

    def require_live(self) -> None:
        if self.deleted:
            raise EnvironmentNotFound(self.environment_id)

    @event(Deleted)
    def _deleted(self, force: bool, actor: dict[str, Any], request_id: str) -> None:
        self.deleted = True

    @event(MadeDefault)
    def _made_default(self, actor: dict[str, Any], request_id: str) -> None:
        pass

    @event(Recreated)
    def _recreated(self, cluster_id: str, namespace_template: str, actor: dict[str, Any], request_id: str) -> None:
        self.cluster_id = cluster_id
        self.namespace_template = namespace_template
        self.deleted = False


class DefaultEnvironment(Aggregate):
    """Which environment is the default: one index, so that two concurrent choices
    are decided by the event store and never leave two defaults."""

    class Started(AuditedCreated):
        class_version = 1

    class Chosen(AuditedEvent):
        class_version = 1
        environment_id: str

    class Cleared(AuditedEvent):
        class_version = 1
        environment_id: str

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return DEFAULT_ENVIRONMENT_ID

    @event(Started)
    def __init__(self, actor: dict[str, Any], request_id: str) -> None:
        self.environment_id = ""

    @classmethod
    def start(cls, ctx: CommandContext) -> DefaultEnvironment:
        return cls(**ctx.event_fields())

    def choose(self, environment_id: str, ctx: CommandContext) -> None:
        if self.environment_id != environment_id:
            self._chosen(environment_id, **ctx.event_fields())

    def clear(self, environment_id: str, ctx: CommandContext) -> None:
        """Clears the default if it is this environment."""
        if self.environment_id == environment_id:
            self._cleared(environment_id, **ctx.event_fields())

    @event(Chosen)
    def _chosen(self, environment_id: str, actor: dict[str, Any], request_id: str) -> None:
        self.environment_id = environment_id

    @event(Cleared)
    def _cleared(self, environment_id: str, actor: dict[str, Any], request_id: str) -> None:
        self.environment_id = ""
