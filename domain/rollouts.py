"""Rollouts: one Deploy each, an immutable snapshot of the whole config, and its status.

A rollout's id is allocated by its capsule (`Capsule.start_rollout`) and its aggregate id is
stable in (project, capsule, rollout id), so two rollouts can never share an id. The config
is recorded once, in `Created`, with secret file contents sealed for this aggregate
(`rollout_config.seal_secrets`); it never changes after. What happens to the rollout later is
its status (rig-behavior 4.3): it starts PREPARING; abort and stop are decisions recorded here
(the deployer acts on them); a newer rollout of the environment replaces it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.errors import Aborted, FailedPrecondition, NotFound
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent
from rigd.domain.identity import stable_id
from rigd.domain.naming import quoted

# api.v1.capsule.rollout.State and Result, by their wire names
PREPARING = "STATE_PREPARING"
RUNNING = "STATE_RUNNING"
STOPPED = "STATE_STOPPED"
NO_RESULT = "RESULT_UNSPECIFIED"
REPLACED = "RESULT_REPLACED"
ABORTED = "RESULT_ABORTED"

# The rollout events (api.v1.capsule.Event) each decision shows in ListEvents
INITIATED_MESSAGE = "new rollout initiated"
ABORTED_MESSAGE = "rollout aborted"
STOPPED_MESSAGE = "rollout stopped"


class RolloutNotFound(NotFound):
    def __init__(self, capsule_id: str, rollout_id: int) -> None:
        super().__init__(f"rollout not found: capsule {quoted(capsule_id)} has no rollout {rollout_id}")


class RolloutInProgress(FailedPrecondition):
    def __init__(self) -> None:
        super().__init__("rollout already in progress")  # exactly: the CLI compares this text


class StaleCurrentRollout(Aborted):
    def __init__(self, given: int, current: int) -> None:
        super().__init__(f"current_rollout_id is {given}, but the current rollout is {current or 'none'};"
                         " deploy again against the current rollout")


class RolloutEnded(FailedPrecondition):
    def __init__(self, rollout_id: int) -> None:
        super().__init__(f"rollout {rollout_id} has ended; only a rollout in progress can be aborted")


def rollout_aggregate_id(project_id: str, capsule_id: str, rollout_id: int) -> UUID:
    return stable_id("rollout", f"{project_id}/{capsule_id}/{rollout_id}")


class Rollout(AuditedAggregate):
    TOPIC = "rollout"

    class Created(AuditedCreated):
        TOPIC = "rollout.Created"
        project_id: str
        capsule_id: str
        environment_id: str
        rollout_id: int
        config: dict[str, Any]  # rollout_config's document, secret contents sealed
        changes: list[dict[str, Any]]  # the Deploy's api.v1.capsule.Change documents (secrets sealed)
        message: str
        force_override: bool

    class Aborted(AuditedEvent):
        TOPIC = "rollout.Aborted"

    class Stopped(AuditedEvent):
        TOPIC = "rollout.Stopped"

    class Replaced(AuditedEvent):
        TOPIC = "rollout.Replaced"
        by_rollout_id: int

    @staticmethod
    def create_id(project_id: str, capsule_id: str, rollout_id: int, **_: Any) -> UUID:
        return rollout_aggregate_id(project_id, capsule_id, rollout_id)

    @event(Created)
    def __init__(self, project_id: str, capsule_id: str, environment_id: str, rollout_id: int,
                 config: dict[str, Any], changes: list[dict[str, Any]], message: str, force_override: bool) -> None:
        self.project_id = project_id
        self.capsule_id = capsule_id
        self.environment_id = environment_id
        self.rollout_id = rollout_id
        self.config = config
        self.changes = changes
        self.message = message
        self.force_override = force_override
        self.state = PREPARING
        self.result = NO_RESULT

    @property
    def in_progress(self) -> bool:
        """Whether a Deploy without `force` must wait for it. The deployer (a later issue)
        records when its instances are all up; until then a rollout is in progress until it
        is stopped, aborted or replaced."""
        return self.state != STOPPED

    def abort(self) -> None:
        if not self.in_progress:
            raise RolloutEnded(self.rollout_id)
        self._aborted()

    def stop(self) -> bool:
        """Stops the rollout (its resources are removed); False when it was stopped already."""
        if self.state == STOPPED:
            return False
        self._stopped()
        return True

    def replace(self, by_rollout_id: int) -> None:
        """A newer rollout of the environment takes over (a stopped one stays as it ended)."""
        if self.state != STOPPED:
            self._replaced(by_rollout_id)

    @event(Aborted)
    def _aborted(self) -> None:
        self.state = STOPPED
        self.result = ABORTED

    @event(Stopped)
    def _stopped(self) -> None:
        self.state = STOPPED

    @event(Replaced)
    def _replaced(self, by_rollout_id: int) -> None:
        self.state = STOPPED
        self.result = REPLACED
