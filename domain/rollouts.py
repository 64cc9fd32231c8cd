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
CONFIGURE = "STATE_CONFIGURE"
RESOURCE_CREATION = "STATE_RESOURCE_CREATION"
RUNNING = "STATE_RUNNING"
STOPPED = "STATE_STOPPED"
NO_RESULT = "RESULT_UNSPECIFIED"
REPLACED = "RESULT_REPLACED"
ABORTED = "RESULT_ABORTED"
FAILED = "RESULT_FAILED"

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
        super().__init__(f"rollout {rollout_id} has ended (stopped, aborted, replaced or failed);"
                         " only a rollout that has not ended can be aborted")


def rollout_aggregate_id(project_id: str, capsule_id: str, rollout_id: int) -> UUID:
    return stable_id("rollout", f"{project_id}/{capsule_id}/{rollout_id}")


class Rollout(AuditedAggregate):
    TOPIC = "rollout"

    class Created(AuditedCreated):
        TOPIC = "rollout.Created"
        class_version = 3
        project_id: str
        capsule_id: str
        environment_id: str
        rollout_id: int
        config: dict[str, Any]  # rollout_config's document, secret contents sealed
        changes: list[dict[str, Any]]  # the Deploy's api.v1.capsule.Change documents (secrets sealed)
        message: str
        force_override: bool
        # Where the rollout runs, as its environment was at the Deploy: its objects stay there
        # whatever becomes of the environment ("" in rollouts recorded before: its environment's).
        cluster_id: str
        namespace: str

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state.setdefault("cluster_id", "")
            state.setdefault("namespace", "")

    class Aborted(AuditedEvent):
        TOPIC = "rollout.Aborted"

    class Stopped(AuditedEvent):
        TOPIC = "rollout.Stopped"

    class Replaced(AuditedEvent):
        TOPIC = "rollout.Replaced"
        by_rollout_id: int

    # What the deployer records as it takes the rollout through its stages (rig-behavior 4.3).
    # `steps` are plain documents (`rollout_stages.step_document`), one per object.

    class Configured(AuditedEvent):
        """The configure stage: the objects the platform writes, each CREATED, UPDATED,
        NO_CHANGE or DELETED."""

        TOPIC = "rollout.Configured"
        steps: list[dict[str, Any]]

    class ResourcesCreated(AuditedEvent):
        """The resource creation stage: the objects made from the configured ones."""

        TOPIC = "rollout.ResourcesCreated"
        steps: list[dict[str, Any]]

    class RunningStarted(AuditedEvent):
        """The running stage began: the instances step waits for every instance to be ready."""

        TOPIC = "rollout.RunningStarted"

    class InstancesReady(AuditedEvent):
        """The running stage's instances step is DONE: every instance runs this rollout and is ready."""

        TOPIC = "rollout.InstancesReady"
        num_updated: int
        num_ready: int
        num_stuck: int
        num_wrong_version: int

    class InstancesCounted(AuditedEvent):
        """The instances of a rollout in its running stage, as they change before its instances
        step is DONE (at most about once a second), so that its progress shows."""

        TOPIC = "rollout.InstancesCounted"
        num_updated: int
        num_ready: int
        num_stuck: int
        num_wrong_version: int

    class InstancesStuck(AuditedEvent):
        """Instances of the rollout keep failing (CrashLoopBackOff); recorded once per rollout."""

        TOPIC = "rollout.InstancesStuck"
        num_stuck: int
        message: str

    class ApplyFailed(AuditedEvent):
        """Applying the rollout failed: retried later unless `permanent` (the rollout then ends FAILED)."""

        TOPIC = "rollout.ApplyFailed"
        message: str
        permanent: bool

    class ResourcesRemoved(AuditedEvent):
        """The stopped rollout's objects were removed from the cluster."""

        TOPIC = "rollout.ResourcesRemoved"
        steps: list[dict[str, Any]]

    @staticmethod
    def create_id(project_id: str, capsule_id: str, rollout_id: int, **_: Any) -> UUID:
        return rollout_aggregate_id(project_id, capsule_id, rollout_id)

    @event(Created)
    def __init__(self, project_id: str, capsule_id: str, environment_id: str, rollout_id: int,
                 config: dict[str, Any], changes: list[dict[str, Any]], message: str, force_override: bool,
                 cluster_id: str = "", namespace: str = "") -> None:
        self.project_id = project_id
        self.capsule_id = capsule_id
        self.environment_id = environment_id
        self.cluster_id = cluster_id
        self.namespace = namespace
        self.rollout_id = rollout_id
        self.config = config
        self.changes = changes
        self.message = message
        self.force_override = force_override
        self.state = PREPARING
        self.result = NO_RESULT
        self._init_stages()

    def _init_stages(self) -> None:
        # What the deployer has recorded of the rollout's stages.
        self.configured = False
        self.resources_created = False
        self.running = False
        self.instances_done = False
        self.stuck_reported = False
        self.resources_removed = False
        self.stop_decided = False  # StopRollout (or a deletion) asked for its objects to go
        self.last_error = ""
        self.instance_counts: tuple[int, int, int, int] = (0, 0, 0, 0)  # as last recorded

    @property
    def in_progress(self) -> bool:
        """Whether a Deploy without `force` must wait for it: until its running stage's
        instances step is DONE (all instances updated and ready), or it is stopped, aborted
        or replaced (rig-behavior 4.2 step 3)."""
        return self.state != STOPPED and not self.instances_done

    @property
    def holds_objects(self) -> bool:
        """Whether the capsule's objects in the environment may still be this rollout's, asked of
        the environment's current rollout: until it is stopped or replaced (an abort or a failed
        apply leaves them where they are; a rollout aborted, then superseded, is not current)."""
        return not self.stop_decided and self.result != REPLACED

    def abort(self) -> None:
        """Stops the rollout progressing and keeps whatever objects it made (rig-behavior 4.4);
        a running rollout whose instances are all ready can be aborted too, as in Rig."""
        if self.state == STOPPED:
            raise RolloutEnded(self.rollout_id)
        self._aborted()

    def stop(self) -> bool:
        """Stops the rollout: the deployer removes the capsule's objects in its environment.
        False when there is nothing to remove for it: it was stopped already, or a newer
        rollout replaced it (the objects are that one's now)."""
        if not self.holds_objects:
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
        self.stop_decided = True

    @event(Replaced)
    def _replaced(self, by_rollout_id: int) -> None:
        self.state = STOPPED
        self.result = REPLACED

    # -- the deployer's records ------------------------------------------------------------
    # Each records only what is not recorded yet, so a reaction decided again (a re-delivered
    # event, a watcher in another process) never records a stage twice.

    def configure(self, steps: list[dict[str, Any]]) -> bool:
        if self.configured or self.state == STOPPED:
            return False
        self._configured(steps)
        return True

    def create_resources(self, steps: list[dict[str, Any]]) -> bool:
        if not self.configured or self.resources_created or self.state == STOPPED:
            return False
        self._resources_created(steps)
        return True

    def start_running(self) -> bool:
        if not self.resources_created or self.running or self.state == STOPPED:
            return False
        self._running_started()
        return True

    def complete_instances(self, updated: int, ready: int, stuck: int, wrong_version: int) -> bool:
        if not self.running or self.instances_done or self.state == STOPPED:
            return False
        self._instances_ready(updated, ready, stuck, wrong_version)
        return True

    def count_instances(self, updated: int, ready: int, stuck: int, wrong_version: int) -> bool:
        """Records the instances' counts while the instances step waits; False when they are
        what was last recorded (or the step is over)."""
        counts = (updated, ready, stuck, wrong_version)
        if not self.running or self.instances_done or self.state == STOPPED or counts == self.instance_counts:
            return False
        self._instances_counted(*counts)
        return True

    def report_stuck(self, stuck: int, message: str) -> bool:
        if not self.running or self.stuck_reported or self.instances_done or self.state == STOPPED:
            return False
        self._instances_stuck(stuck, message)
        return True

    def fail_apply(self, message: str, permanent: bool) -> bool:
        """Records a failed apply; the same error again is not recorded again (retries)."""
        if self.state == STOPPED or (message == self.last_error and not permanent):
            return False
        self._apply_failed(message, permanent)
        return True

    def remove_resources(self, steps: list[dict[str, Any]]) -> bool:
        if self.state != STOPPED or self.resources_removed:
            return False
        self._resources_removed(steps)
        return True

    @event(Configured)
    def _configured(self, steps: list[dict[str, Any]]) -> None:
        self.configured = True
        self.state = CONFIGURE

    @event(ResourcesCreated)
    def _resources_created(self, steps: list[dict[str, Any]]) -> None:
        self.resources_created = True
        self.state = RESOURCE_CREATION

    @event(RunningStarted)
    def _running_started(self) -> None:
        self.running = True
        self.state = RUNNING

    @event(InstancesReady)
    def _instances_ready(self, num_updated: int, num_ready: int, num_stuck: int, num_wrong_version: int) -> None:
        self.instances_done = True

    @event(InstancesCounted)
    def _instances_counted(self, num_updated: int, num_ready: int, num_stuck: int, num_wrong_version: int) -> None:
        self.instance_counts = (num_updated, num_ready, num_stuck, num_wrong_version)

    @event(InstancesStuck)
    def _instances_stuck(self, num_stuck: int, message: str) -> None:
        self.stuck_reported = True

    @event(ApplyFailed)
    def _apply_failed(self, message: str, permanent: bool) -> None:
        self.last_error = message
        if permanent:
            self.state = STOPPED
            self.result = FAILED

    @event(ResourcesRemoved)
    def _resources_removed(self, steps: list[dict[str, Any]]) -> None:
        self.resources_removed = True
