"""The deployer: takes each new rollout through its stages on the environment's cluster, and
records what happened as events on the rollout (DESIGN: Processes; rig-behavior 4.3-4.5).

`react` handles one rollout event in a follower's batch (projections.deployer runs it with
the event store's tracked position): a new rollout is applied through the cluster driver and
its configure, resource creation and running stages are recorded in the batch, so the stages
and the position commit together. A rollout that already ended (aborted, replaced or stopped
before it was applied) is not applied; a stopped one has its objects removed. Applying is
idempotent (the driver changes nothing the second time) and every record first checks what
the rollout already holds, so a re-delivered event after a crash records nothing twice.

`watch_once` is one round of the watcher: for each rollout in its running stage it reads the
instances from the driver and records the instances step DONE (or stuck) once. What it
watches is kept in memory: reactions add to it, and `resume` re-derives it from the rollouts
that are running (a restarted deployer)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from rigd.domain.cluster_driver import AppliedObject, ApplyStage, CapsulePlace, ClusterDriver, Outcome
from rigd.domain.context import Actor, CommandContext, acting
from rigd.domain.environments import Environment
from rigd.domain.errors import DomainError, InvalidArgument, Unavailable
from rigd.domain.event_store import EventStore
from rigd.domain.image_references import parse_reference
from rigd.domain.images import RegistryLogins
from rigd.domain.job_executions import JobExecutionRecorder
from rigd.domain.passwords import Sealer
from rigd.domain.rendering import PullLogin, RenderTarget
from rigd.domain.rollout_config import open_secrets
from rigd.domain.rollout_stages import (
    InstanceCounts,
    count_instances,
    desired_replicas,
    failure_message,
    stage_steps,
    step_document,
    stuck_message,
)
from rigd.domain.rollouts import STOPPED, Rollout, rollout_aggregate_id

log = logging.getLogger(__name__)

DEPLOYER = Actor(identifier="rigd-deployer", printable_name="rigd deployer")
TOPICS = [Rollout.Created.TOPIC, Rollout.Aborted.TOPIC, Rollout.Stopped.TOPIC, Rollout.Replaced.TOPIC]
BACKOFF_BASE = 1.0  # seconds before the first retry of a failed apply; doubles up to BACKOFF_CAP
BACKOFF_CAP = 60.0
# Attempts at a rollout whose objects the cluster keeps refusing with errors a retry might cure
# (a 500 from a webhook, a conflict) before it FAILS: its cluster's later rollouts wait behind
# it (log order), about four minutes at most. A cluster that cannot be reached at all is waited
# for without end: nothing of it could go on anyway.
GIVE_UP_ATTEMPTS = 10
# Seconds between records of a rollout's instance counts while they change (the CLI polls
# GetRollout every second).
COUNT_INTERVAL = 1.0


class ClusterDriverSource(Protocol):
    """The driver of a configured cluster (the composition root's; one per cluster)."""

    def driver(self, cluster_id: str) -> ClusterDriver: ...


class RunningRollouts(Protocol):
    """Where a restarted deployer learns which rollouts are in their running stage."""

    def running(self) -> list[tuple[str, str, int]]:
        """(project, capsule, rollout id) of every rollout whose state is RUNNING."""


class RetryLater(Unavailable):
    """The rollout could not be applied now; the follower retries the batch."""


class EnvironmentGone(DomainError):
    def __init__(self, environment_id: str) -> None:
        super().__init__(f"environment {environment_id!r} no longer exists")


@dataclass(frozen=True)
class Watched:
    """A rollout in its running stage, as the watcher polls it."""

    rollout: UUID
    rollout_id: int
    place: CapsulePlace
    cluster_id: str
    desired: int
    cause: str  # the running stage's event: what the watcher's records react to
    done: bool = False
    since: float = 0.0  # when watching began (the deployer's clock): new instances are looked at more often


class Deployer:
    def __init__(self, store: EventStore, drivers: ClusterDriverSource, sealer: Sealer,
                 clock: Callable[[], float] = time.monotonic, logins: RegistryLogins | None = None) -> None:
        self._store = store
        self._drivers = drivers
        self._sealer = sealer
        self._logins = logins  # the docker registries' credentials, for clusters' pull secrets
        self._clock = clock
        self._watched: dict[CapsulePlace, Watched] = {}
        self._lock = threading.Lock()
        self._failures: dict[UUID, tuple[int, float]] = {}  # rollout -> (failures in a row, next try)
        # rollout -> (the instance counts last recorded, when): the watcher's thread only
        self._counted: dict[UUID, tuple[InstanceCounts, float]] = {}
        self._job_places: dict[CapsulePlace, str] = {}  # capsules running cron jobs -> their cluster
        self._executions = JobExecutionRecorder(store)

    # -- reactions -----------------------------------------------------------------------

    def react(self, event: Any, effects: ProcessingEvent[UUID], mine: Callable[[str], bool] | None = None) -> None:
        """Handles one rollout event of a batch; what it records goes into `effects`. With
        `mine`, only a rollout whose cluster (`cluster_of`) is `mine` is handled."""
        with acting(CommandContext.reacting_to(event, DEPLOYER)):
            rollout = self._rollout(event.originator_id, effects)
            if rollout is None or (mine is not None and not mine(self.cluster_of(rollout))):
                return
            if isinstance(event, Rollout.Created):
                self._deploy(rollout, effects)
            elif isinstance(event, Rollout.Stopped):
                self._stop(rollout, effects)
            else:  # aborted or replaced: nothing more is applied for it
                self._forget(rollout)

    def cluster_of(self, rollout: Rollout) -> str:
        """The cluster the rollout runs on: the one its Deploy recorded, else (a rollout recorded
        before rollouts kept it) its environment's, a deleted environment's too (its stop is
        still that cluster's work); "" when the environment never existed."""
        if rollout.cluster_id:
            return rollout.cluster_id
        environment = self._store.load(Environment.create_id(rollout.environment_id), Environment)
        return "" if environment is None else environment.cluster_id

    def _rollout(self, aggregate_id: UUID, effects: ProcessingEvent[UUID]) -> Rollout | None:
        # An aggregate this batch already changed is taken from the batch (its events are pending).
        pending = effects.aggregates.get(aggregate_id)
        if isinstance(pending, Rollout):
            return pending
        return self._store.load(aggregate_id, Rollout)

    def _deploy(self, rollout: Rollout, effects: ProcessingEvent[UUID]) -> None:
        if rollout.state == STOPPED:
            return  # ended before it was applied: a later rollout (or a stop) decides what runs
        if rollout.running:
            self._watch(rollout)  # recorded before (a batch decided again): only watch it
            return
        try:
            target, cluster_id = self._target(rollout)
        except EnvironmentGone as gone:
            rollout.fail_apply(gone.message, permanent=True)
            effects.collect_events(rollout)
            return
        target = replace(target, pull_login=self._pull_login(str(rollout.config.get("image_id", ""))))
        applied = self._apply(rollout, target, cluster_id)
        failed = [item for item in applied if item.outcome is Outcome.FAILED]
        if failed:
            rollout.fail_apply(failure_message(failed), permanent=True)
        else:
            rollout.configure(stage_steps(applied, ApplyStage.CONFIGURE))
            rollout.create_resources(stage_steps(applied, ApplyStage.RESOURCE_CREATION))
            rollout.start_running()
        effects.collect_events(rollout)
        if rollout.running:
            self._watch(rollout)
            self._watch_jobs(rollout, CapsulePlace.of(target), cluster_id)

    def _apply(self, rollout: Rollout, target: RenderTarget, cluster_id: str) -> list[AppliedObject]:
        """What applying did to each object; only permanently FAILED ones when it cannot be
        applied. Raises RetryLater (after recording the error) when a retry may help."""
        self._wait_for_retry(rollout)
        try:
            applied = self._drivers.driver(cluster_id).apply(target, self._opened(rollout))
        except Unavailable as error:
            self._failed_attempt(rollout, str(error))
            raise RetryLater(str(error)) from error
        except DomainError as error:  # e.g. no driver for the cluster's type: retrying cannot help
            return [AppliedObject("cluster", cluster_id, Outcome.FAILED, ApplyStage.CONFIGURE, error.message,
                                  permanent=True)]
        failed = [item for item in applied if item.outcome is Outcome.FAILED]
        if failed and not any(item.permanent for item in failed):
            if self._failures.get(rollout.id, (0, 0.0))[0] + 1 >= GIVE_UP_ATTEMPTS:
                self._failures.pop(rollout.id, None)
                given_up = f" (given up after {GIVE_UP_ATTEMPTS} attempts; the cluster's later rollouts go on)"
                return [replace(item, permanent=True, message=item.message + given_up) for item in failed]
            self._failed_attempt(rollout, failure_message(failed))
            raise RetryLater(failure_message(failed))
        self._failures.pop(rollout.id, None)
        return applied

    def _stop(self, rollout: Rollout, effects: ProcessingEvent[UUID]) -> None:
        self._forget(rollout)
        if rollout.resources_removed:
            return
        try:
            target, cluster_id = self._target(rollout, deleted_too=True)
        except EnvironmentGone:
            return  # no environment ever: nothing of it ran
        self._wait_for_retry(rollout)
        try:
            removed = self._drivers.driver(cluster_id).stop(CapsulePlace.of(target))
        except Unavailable as error:
            self._failed_attempt(rollout, str(error))
            raise RetryLater(str(error)) from error
        except DomainError as error:  # no driver for the cluster: nothing of it can be removed here
            log.warning("deployer: cannot remove rollout %s of capsule %s: %s", rollout.rollout_id,
                        rollout.capsule_id, error.message)
            return
        self._failures.pop(rollout.id, None)
        with self._lock:
            self._job_places.pop(CapsulePlace.of(target), None)
        rollout.remove_resources([step_document(item) for item in removed])
        effects.collect_events(rollout)

    def _failed_attempt(self, rollout: Rollout, message: str) -> None:
        """Records the error (once per distinct message) outside the batch, which is retried
        after a back-off; the batch itself records nothing."""
        failures = self._failures.get(rollout.id, (0, 0.0))[0] + 1
        self._failures[rollout.id] = (failures, self._clock() + min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (failures - 1)))
        log.warning("deployer: rollout %s of capsule %s failed (attempt %d): %s", rollout.rollout_id,
                    rollout.capsule_id, failures, message)

        def decide() -> None:
            fresh = self._store.load(rollout.id, Rollout)
            if fresh is not None and fresh.fail_apply(message, permanent=False):
                self._store.record(fresh)

        self._store.decide(CommandContext(actor=DEPLOYER, causation_id=f"{rollout.id}/{rollout.version}"), decide)

    def _wait_for_retry(self, rollout: Rollout) -> None:
        failures, next_try = self._failures.get(rollout.id, (0, 0.0))
        if failures and self._clock() < next_try:
            raise RetryLater(f"rollout {rollout.rollout_id}: backing off after {failures} failed attempts")

    def _target(self, rollout: Rollout, deleted_too: bool = False) -> tuple[RenderTarget, str]:
        """Where the rollout runs: the cluster and namespace its Deploy recorded (else, for a
        rollout recorded before rollouts kept them, its environment's). A deleted environment
        is gone (EnvironmentGone), unless `deleted_too` (its objects are still where they
        were: a rollout stopped by the environment's deletion is removed there)."""
        environment = self._store.load(Environment.create_id(rollout.environment_id), Environment)
        if environment is None or (environment.deleted and not deleted_too):
            raise EnvironmentGone(rollout.environment_id)
        cluster_id, namespace = rollout.cluster_id, rollout.namespace
        if not cluster_id:
            cluster_id = environment.cluster_id
            namespace = environment.namespace(rollout.project_id)
        target = RenderTarget(rollout.project_id, rollout.environment_id, rollout.capsule_id, namespace,
                              rollout.rollout_id, rollout.force_override)
        return target, cluster_id

    def _pull_login(self, image: str) -> PullLogin | None:
        """The credentials of the image's registry, when the project settings hold some."""
        if self._logins is None or not image:
            return None
        try:
            registry = parse_reference(image).registry
        except InvalidArgument:  # (an image added unchecked may be no reference Docker reads)
            return None
        try:
            credentials = self._logins.credentials_for(registry)
        except DomainError as error:  # (e.g. sealed with a key no longer configured): pull without
            log.warning("deployer: the credentials of registry %s cannot be used: %s", registry, error.message)
            return None
        return None if credentials is None else PullLogin(registry, credentials)

    def _opened(self, rollout: Rollout) -> dict[str, Any]:
        return open_secrets(rollout.config, lambda text, path: self._sealer.open(text, rollout.id, path))

    # -- the watcher ------------------------------------------------------------------------

    def _watch(self, rollout: Rollout) -> None:
        if rollout.instances_done or rollout.state == STOPPED:
            return
        target, cluster_id = self._target(rollout)
        place = CapsulePlace.of(target)
        with self._lock:
            earlier = self._watched.get(place)
            since = earlier.since if earlier is not None and earlier.rollout == rollout.id else self._clock()
            self._watched[place] = Watched(rollout.id, rollout.rollout_id, place, cluster_id,
                                           desired_replicas(rollout.config), f"{rollout.id}/{rollout.version}",
                                           since=since)

    def _watch_jobs(self, rollout: Rollout, place: CapsulePlace, cluster_id: str) -> None:
        with self._lock:
            if rollout.config.get("cron_jobs"):
                self._job_places[place] = cluster_id
            else:
                self._job_places.pop(place, None)

    def jobs_once(self) -> None:
        """Records the job executions of every capsule running cron jobs that are new or ended."""
        with self._lock:
            places = list(self._job_places.items())
        for place, cluster_id in places:
            try:
                executions = self._drivers.driver(cluster_id).job_executions(place)
                self._executions.record(CommandContext(actor=DEPLOYER), place, executions)
            except DomainError as error:
                log.debug("deployer: job executions of %s: %s", place.capsule_id, error)

    def _forget(self, rollout: Rollout) -> None:
        self._counted.pop(rollout.id, None)
        with self._lock:
            for place, watched in list(self._watched.items()):
                if watched.rollout == rollout.id:
                    del self._watched[place]

    def watching(self) -> list[Watched]:
        with self._lock:
            return list(self._watched.values())

    def newest_watch_age(self) -> float | None:
        """Seconds since the most recent rollout began to be watched; None when none is."""
        with self._lock:
            newest = max((watched.since for watched in self._watched.values()), default=None)
        return None if newest is None else self._clock() - newest

    def resume(self, running: RunningRollouts) -> None:
        """Watches again every rollout in its running stage: its instances step until DONE, its
        cron jobs' executions while it runs."""
        for project_id, capsule_id, rollout_id in running.running():
            rollout = self._store.load(rollout_aggregate_id(project_id, capsule_id, rollout_id), Rollout)
            if rollout is None or not rollout.running or rollout.state == STOPPED:
                continue
            try:
                self._watch(rollout)
                target, cluster_id = self._target(rollout)
            except EnvironmentGone:
                continue
            self._watch_jobs(rollout, CapsulePlace.of(target), cluster_id)

    def watch_once(self) -> None:
        """Reads the instances of each watched rollout once; records what is new."""
        for watched in self.watching():
            try:
                self._check(watched)
            except DomainError as error:  # the cluster away: the next round asks again
                log.debug("deployer: watching rollout %s: %s", watched.rollout_id, error)

    def _check(self, watched: Watched) -> None:
        instances = self._drivers.driver(watched.cluster_id).instances(watched.place)
        counts = count_instances(instances, watched.rollout_id)
        ctx = CommandContext(actor=DEPLOYER, causation_id=watched.cause)
        if counts.done(watched.desired):
            settled = self._record(ctx, watched, lambda r: r.complete_instances(
                counts.updated, counts.ready, counts.stuck, counts.wrong_version))
        else:
            now = self._clock()
            count = self._count_due(watched, counts, now)
            if not count and not counts.stuck:
                return
            stuck = stuck_message(instances, watched.rollout_id) if counts.stuck else ""

            def change(rollout: Rollout) -> bool:
                counted = count and rollout.count_instances(
                    counts.updated, counts.ready, counts.stuck, counts.wrong_version)
                reported = bool(stuck) and rollout.report_stuck(counts.stuck, stuck)
                return counted or reported

            settled = self._record(ctx, watched, change)
            if count:
                self._counted[watched.rollout] = (counts, now)
        if settled:
            self._counted.pop(watched.rollout, None)
            with self._lock:
                if self._watched.get(watched.place) == watched:
                    del self._watched[watched.place]

    def _count_due(self, watched: Watched, counts: InstanceCounts, now: float) -> bool:
        """Whether to record the counts: they differ from those last recorded, and not within
        COUNT_INTERVAL of that (a flapping instance must not write an event every round)."""
        last = self._counted.get(watched.rollout)
        return last is None or (last[0] != counts and now - last[1] >= COUNT_INTERVAL)

    def _record(self, ctx: CommandContext, watched: Watched, change: Callable[[Rollout], bool]) -> bool:
        """Records `change` unless the rollout holds it already; True once there is nothing
        more to watch (its instances step DONE, or it ended)."""

        def decide() -> bool:
            rollout = self._store.load(watched.rollout, Rollout)
            if rollout is None:
                return True
            if change(rollout):
                self._store.record(rollout)
            return rollout.instances_done or rollout.state == STOPPED

        return self._store.decide(ctx, decide)

