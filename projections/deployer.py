"""The deployer role: a follower of the rollout events whose position is tracked in the event
store with the events it records (positions.TrackedPositions), and a watcher thread that
polls the instances of rollouts in their running stage (domain.deployer). Both act only while
this process leads the `deployer` role, so one deployer among replicas drives the clusters."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from uuid import UUID

from eventsourcing.application import ProcessingEvent

from rigd.domain.deployer import TOPICS, Deployer, RunningRollouts
from rigd.domain.event_store import EventStore
from rigd.projections.follower import Follower, Leadership, Notified
from rigd.projections.positions import TrackedPositions
from rigd.projections.wakeup import Wakeup

log = logging.getLogger(__name__)

FOLLOWER_NAME = "deployer"
WATCH_INTERVAL = 0.02  # seconds between looks at the instances of a rollout being rolled out
# ... and in the first seconds of a rollout's running stage, when its instances most likely
# become ready: a look costs a status file read and a refused connection, and readiness is
# reported this much sooner.
STARTING_INTERVAL = 0.005
STARTING_SECONDS = 3.0
IDLE_INTERVAL = 1.0  # seconds between rounds while no rollout is watched
JOBS_INTERVAL = 1.0  # seconds between looks at the job executions of capsules with cron jobs
RESUME_INTERVAL = 30.0  # seconds between re-derivations of what to watch (from the running rollouts)
QUEUE_COUNT_CAP = 10_000  # the queue metric counts this far, so a scrape stays cheap however far behind


class DeployerReaction:
    """The rollout events of one cluster's rollouts, handled in log order. `known`: every
    follower's cluster (None: this follower is the only one and handles every rollout); the
    `catch_all` follower also handles the rollouts of clusters no follower has (an environment
    on a cluster no longer configured: applying them fails for good, which is recorded)."""

    def __init__(self, deployer: Deployer, cluster_id: str, known: frozenset[str] | None = None,
                 catch_all: bool = False) -> None:
        self._deployer = deployer
        self._cluster_id = cluster_id
        self._known = known
        self._catch_all = catch_all

    def topics(self) -> list[str]:
        return list(TOPICS)

    def handle(self, notified: Sequence[Notified], effects: ProcessingEvent[UUID]) -> None:
        mine = None if self._known is None else self._mine
        for item in notified:
            self._deployer.react(item.event, effects, mine)

    def _mine(self, cluster_id: str) -> bool:
        return cluster_id == self._cluster_id or (self._catch_all and cluster_id not in (self._known or ()))


class DeployerProcess:
    """One follower per configured cluster, each with its own tracked position
    (`deployer/<cluster id>`), so that a cluster that cannot be reached holds back only its own
    rollouts: the rollouts of one cluster are applied in log order, those of the others go on.
    A follower without a position yet starts where the single follower of earlier versions
    (`deployer`) stopped."""

    def __init__(self, store: EventStore, deployer: Deployer, running: RunningRollouts, wakeup: Wakeup,
                 leadership: Leadership, clusters: Sequence[str], name: str = FOLLOWER_NAME) -> None:
        self.deployer = deployer
        self._store = store
        self._running = running
        self._leadership = leadership
        self._poke = threading.Event()
        ordered = sorted(set(clusters)) or [""]

        def earlier() -> int:
            return store.tracked_position(name)  # where the single follower of earlier versions stopped

        self.followers = [
            Follower(f"{name}/{cluster_id}", store, TrackedPositions(store, f"{name}/{cluster_id}", earlier),
                     DeployerReaction(deployer, cluster_id, frozenset(ordered) if len(ordered) > 1 else None,
                                      catch_all=cluster_id == ordered[0]),
                     wakeup, leadership, on_progress=lambda _position: self._poke.set())
            for cluster_id in ordered
        ]
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def position(self) -> int:
        """The position of the follower furthest behind."""
        return min(follower.position() for follower in self.followers)

    def queued(self) -> int:
        """The deployer's events recorded after the position of the follower furthest behind
        (counted up to QUEUE_COUNT_CAP)."""
        return len(self._store.recorder.select_notifications(
            start=self.position() + 1, limit=QUEUE_COUNT_CAP, topics=list(TOPICS)))

    def watched(self) -> int:
        return len(self.deployer.watching())

    def start(self) -> None:
        self._stopping.clear()
        for follower in self.followers:
            follower.start()
        self._thread = threading.Thread(target=self._watch, name="deployer-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._poke.set()
        for follower in self.followers:
            follower.stop(timeout)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _interval(self) -> float:
        age = self.deployer.newest_watch_age()
        if age is None:
            return IDLE_INTERVAL
        return STARTING_INTERVAL if age < STARTING_SECONDS else WATCH_INTERVAL

    def _watch(self) -> None:
        resumed_at: float | None = None
        jobs_at = 0.0
        while not self._stopping.is_set():
            if not self._leadership.held():
                resumed_at = None  # a new term re-derives what to watch
                self._leadership.wait_held(IDLE_INTERVAL)
                continue
            try:
                if resumed_at is None or time.monotonic() - resumed_at >= RESUME_INTERVAL:
                    self.deployer.resume(self._running)
                    resumed_at = time.monotonic()
                self.deployer.watch_once()
                if time.monotonic() - jobs_at >= JOBS_INTERVAL:
                    self.deployer.jobs_once()
                    jobs_at = time.monotonic()
            except Exception:  # the next round tries again
                log.warning("deployer: watching failed", exc_info=True)
            interval = self._interval()
            self._poke.wait(interval)
            self._poke.clear()
