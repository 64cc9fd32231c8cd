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
    def __init__(self, deployer: Deployer) -> None:
        self._deployer = deployer

    def topics(self) -> list[str]:
        return list(TOPICS)

    def handle(self, notified: Sequence[Notified], effects: ProcessingEvent[UUID]) -> None:
        for item in notified:
            self._deployer.react(item.event, effects)


class DeployerProcess:
    def __init__(self, store: EventStore, deployer: Deployer, running: RunningRollouts, wakeup: Wakeup,
                 leadership: Leadership, name: str = FOLLOWER_NAME) -> None:
        self.deployer = deployer
        self._store = store
        self._running = running
        self._leadership = leadership
        self._poke = threading.Event()
        self.follower = Follower(name, store, TrackedPositions(store, name), DeployerReaction(deployer), wakeup,
                                 leadership, on_progress=lambda _position: self._poke.set())
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def position(self) -> int:
        return self.follower.position()

    def queued(self) -> int:
        """The deployer's events recorded after its position (counted up to QUEUE_COUNT_CAP)."""
        return len(self._store.recorder.select_notifications(
            start=self.position() + 1, limit=QUEUE_COUNT_CAP, topics=list(TOPICS)))

    def watched(self) -> int:
        return len(self.deployer.watching())

    def start(self) -> None:
        self._stopping.clear()
        self.follower.start()
        self._thread = threading.Thread(target=self._watch, name="deployer-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._poke.set()
        self.follower.stop(timeout)
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
