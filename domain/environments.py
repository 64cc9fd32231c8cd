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
from rigd.domain.namespaces import NamespaceTemplate
from rigd.domain.naming import quoted

DEFAULT_ENVIRONMENT_ID = stable_id("environment-default", "rigd")
NO_CAPSULES: dict[str, list[str]] = {}


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

    class CapsuleAdded(AuditedEvent):
        """A capsule's first Deploy to the environment. Recorded in that Deploy's save, so that
        it conflicts with a concurrent Delete of the environment, which leaves every capsule
        recorded here (and so conflicts with their later Deploys)."""

        TOPIC = "environment.CapsuleAdded"
        project_id: str
        capsule_id: str

    # The capsules deployed here since the environment was (re)created, project id -> capsule
    # ids. A class default: environments recorded before it was kept have none.
    capsules = NO_CAPSULES  # replaced, never changed in place

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

    def add_capsule(self, project_id: str, capsule_id: str) -> None:
        """Records a capsule's first Deploy here (see CapsuleAdded)."""
        self.require_live()
        self._capsule_added(project_id, capsule_id)

    def namespace(self, project_id: str) -> str:
        """The namespace the project's capsules run in here (its namespace template rendered)."""
        return NamespaceTemplate.parse(self.namespace_template).render(project_id, self.environment_id)

    def deployed_capsules(self) -> list[tuple[str, str]]:
        """(project id, capsule id) of every capsule deployed here since the environment was created."""
        return [(project_id, capsule_id) for project_id, capsule_ids in sorted(self.capsules.items())
                for capsule_id in capsule_ids]

    @event(Deleted)
    def _deleted(self, force: bool) -> None:
        self.deleted = True
        self.capsules = {}  # the deletion leaves every capsule (capsule.EnvironmentDeleted)

    @event(CapsuleAdded)
    def _capsule_added(self, project_id: str, capsule_id: str) -> None:
        known = self.capsules.get(project_id, [])
        if capsule_id not in known:
            self.capsules = {**self.capsules, project_id: sorted([*known, capsule_id])}

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
