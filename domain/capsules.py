"""Capsules: what a project deploys, to every environment, as numbered rollouts.

The capsule aggregate stays small however many rollouts it has: it holds only its key, the
last rollout id it allocated and the current rollout of each environment. Each rollout is an
aggregate of its own (`domain.rollouts`) with the full config, so a Deploy loads the capsule
(snapshotted every `snapshot_interval` events) and the one current rollout, never the history.

Rollout ids are allocated here: `start_rollout` takes the next id, in the same save as the new
rollout. Two Deploys that read the same capsule version both try to write its next version;
the event store lets exactly one of them commit, so ids have no gaps and no duplicates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.context import Actor
from rigd.domain.errors import AlreadyExists, NotFound
from rigd.domain.events import AuditedCreated, AuditedEvent
from rigd.domain.identity import stable_id
from rigd.domain.lifecycle import Revivable
from rigd.domain.naming import quoted


class CapsuleNotFound(NotFound):
    def __init__(self, capsule_id: str) -> None:
        super().__init__(f"capsule {quoted(capsule_id)} not found")


class CapsuleAlreadyExists(AlreadyExists):
    def __init__(self, capsule_id: str) -> None:
        super().__init__(f"capsule {quoted(capsule_id)} already exists")


@dataclass(frozen=True)
class CapsuleSummary:
    """What the API shows of a capsule (api.v1.capsule.Capsule)."""

    capsule_id: str
    updated_at: datetime
    updated_by: Actor


def capsule_aggregate_id(project_id: str, capsule_id: str) -> UUID:
    return stable_id("capsule", f"{project_id}/{capsule_id}")


class Capsule(Revivable):
    """One capsule of one project. Deleting keeps the history (and the rollout ids used, so
    a revived capsule's rollouts never reuse an id)."""

    TOPIC = "capsule"
    snapshot_interval = 20  # every Deploy writes one event here; loading stays a snapshot and a few events
    kept_hot = True  # every Deploy loads it: the event store keeps this process's last copy
    key_field = "capsule_id"
    not_found = CapsuleNotFound
    already_exists = CapsuleAlreadyExists
    # The first rollout id of this incarnation (its ids continue after a revival, its rollouts
    # do not). A class default, for snapshots taken before it was kept: those answer as before.
    first_rollout_id = 1

    class Created(AuditedCreated):
        TOPIC = "capsule.Created"
        project_id: str
        capsule_id: str

    class Deleted(AuditedEvent):
        TOPIC = "capsule.Deleted"

    class Recreated(AuditedEvent):
        TOPIC = "capsule.Recreated"

    class RolloutStarted(AuditedEvent):
        """A Deploy took the next rollout id for an environment; the rollout itself is the
        `rollout.Created` event saved with this one."""

        TOPIC = "capsule.RolloutStarted"
        environment_id: str
        rollout_id: int

    class EnvironmentDeleted(AuditedEvent):
        """An environment the capsule had rollouts in was deleted: the capsule has no current
        rollout there any more. Recorded in the deletion's save, so that it conflicts with a
        concurrent Deploy of the capsule to that environment."""

        TOPIC = "capsule.EnvironmentDeleted"
        environment_id: str

    @staticmethod
    def create_id(project_id: str, capsule_id: str, **_: Any) -> UUID:
        return capsule_aggregate_id(project_id, capsule_id)

    @event(Created)
    def __init__(self, project_id: str, capsule_id: str) -> None:
        self.project_id = project_id
        self.capsule_id = capsule_id
        self.deleted = False
        self.last_rollout_id = 0
        self.first_rollout_id = 1
        self.current: dict[str, int] = {}  # environment id -> its current rollout id

    def revive(self) -> None:
        self.require_deleted()
        self._recreated()

    def delete(self) -> None:
        self.require_live()
        self._deleted()

    def has_rollout(self, rollout_id: int) -> bool:
        """Whether the rollout is one of this incarnation's (a revived capsule has none of the
        rollouts it had before it was deleted)."""
        return self.first_rollout_id <= rollout_id <= self.last_rollout_id

    def current_rollout_id(self, environment_id: str) -> int:
        """The environment's current rollout (0 when the capsule has none there)."""
        return self.current.get(environment_id, 0)

    def start_rollout(self, environment_id: str) -> int:
        """Allocates the next rollout id and makes it the environment's current rollout."""
        self.require_live()
        rollout_id = self.last_rollout_id + 1
        self._rollout_started(environment_id, rollout_id)
        return rollout_id

    def leave_environment(self, environment_id: str) -> bool:
        """Forgets the environment's current rollout as the environment is deleted (True), or
        does nothing when the capsule has none there (False)."""
        if not self.current_rollout_id(environment_id):
            return False
        self._environment_deleted(environment_id)
        return True

    @event(Deleted)
    def _deleted(self) -> None:
        self.deleted = True
        self.current = {}

    @event(Recreated)
    def _recreated(self) -> None:
        self.deleted = False
        self.first_rollout_id = self.last_rollout_id + 1

    @event(RolloutStarted)
    def _rollout_started(self, environment_id: str, rollout_id: int) -> None:
        self.last_rollout_id = rollout_id
        self.current[environment_id] = rollout_id

    @event(EnvironmentDeleted)
    def _environment_deleted(self, environment_id: str) -> None:
        self.current = {key: value for key, value in self.current.items() if key != environment_id}
