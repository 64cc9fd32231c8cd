"""Environments (where capsules run) and the one default environment."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event
from eventsourcing.utils import register_topic

from rigd.domain.errors import AlreadyExists, NotFound
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent, register_former_topics
from rigd.domain.identity import stable_id
from rigd.domain.lifecycle import Revivable
from rigd.domain.naming import quoted

DEFAULT_ENVIRONMENT_ID = stable_id("environment-default", "rigd")


class EnvironmentNotFound(NotFound):
    def __init__(self, environment_id: str) -> None:
        super().__init__(f"environment {quoted(environment_id)} not found")


class EnvironmentAlreadyExists(AlreadyExists):
    def __init__(self, environment_id: str) -> None:
        super().__init__(f"environment {quoted(environment_id)} already exists")


class Environment(Revivable):
    """An environment on a cluster. Deleting keeps its history; creating it again revives it."""

    TOPIC = "environment"
    kept_hot = True  # every Deploy loads its environment: the event store keeps this process's last copy
    key_field = "environment_id"
    not_found = EnvironmentNotFound
    already_exists = EnvironmentAlreadyExists

    class Created(AuditedCreated):
        TOPIC = "environment.Created"
        environment_id: str
        cluster_id: str
        namespace_template: str

    class Deleted(AuditedEvent):
        TOPIC = "environment.Deleted"
        force: bool

    class Recreated(AuditedEvent):
        TOPIC = "environment.Recreated"
        cluster_id: str
        namespace_template: str

    class MadeDefault(AuditedEvent):
        """Recorded beside DefaultEnvironment.Chosen, so that a concurrent delete of this
        environment conflicts with the choice instead of leaving a deleted default."""

        TOPIC = "environment.MadeDefault"

    @staticmethod
    def create_id(environment_id: str, **_: Any) -> UUID:
        return stable_id("environment", environment_id)

    @event(Created)
    def __init__(self, environment_id: str, cluster_id: str, namespace_template: str) -> None:
        self.environment_id = environment_id
        self.cluster_id = cluster_id
        self.namespace_template = namespace_template
        self.deleted = False

    def revive(self, cluster_id: str, namespace_template: str) -> None:
        self.require_deleted()
        self._recreated(cluster_id, namespace_template)

    def delete(self, force: bool) -> None:
        self.require_live()
        self._deleted(force)

    def make_default(self) -> None:
        self.require_live()
        self._made_default()

    @event(Deleted)
    def _deleted(self, force: bool) -> None:
        self.deleted = True

    @event(MadeDefault)
    def _made_default(self) -> None:
        pass

    @event(Recreated)
    def _recreated(self, cluster_id: str, namespace_template: str) -> None:
        self.cluster_id = cluster_id
        self.namespace_template = namespace_template
        self.deleted = False


class DefaultEnvironment(AuditedAggregate):
    """Which environment is the default: one index, so that two concurrent choices
    are decided by the event store and never leave two defaults."""

    TOPIC = "environment-default"
    snapshot_interval = 50  # one index that every default choice writes to

    class Created(AuditedCreated):
        TOPIC = "environment-default.Created"

    class Chosen(AuditedEvent):
        TOPIC = "environment-default.Chosen"
        environment_id: str

    class Cleared(AuditedEvent):
        TOPIC = "environment-default.Cleared"
        environment_id: str

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return DEFAULT_ENVIRONMENT_ID

    @event(Created)
    def __init__(self) -> None:
        self.environment_id = ""

    def choose(self, environment_id: str) -> None:
        if self.environment_id != environment_id:
            self._chosen(environment_id)

    def clear(self, environment_id: str) -> None:
        """Clears the default if it is this environment."""
        if self.environment_id == environment_id:
            self._cleared(environment_id)

    @event(Chosen)
    def _chosen(self, environment_id: str) -> None:
        self.environment_id = environment_id

    @event(Cleared)
    def _cleared(self, environment_id: str) -> None:
        self.environment_id = ""


register_former_topics(Environment, "domain.environments")
register_former_topics(DefaultEnvironment, "domain.environments")
register_topic("domain.environments:DefaultEnvironment.Started", DefaultEnvironment.Created)
