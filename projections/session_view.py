"""The hot-path view of dead sessions: an access token is checked against memory, not the store.

Kept current in every process (not only the leader) by a follower of the notification log
with a position in memory: on start it reads the log's few relevant events (the topics of
its handlers only), then follows new ones as they are signalled. It remembers:

- invalidated sessions, until their expiry (after that the token's own `exp` refuses them);
- each user's `new_sessions_since` (a `reset_sessions`): sessions started before it are dead;
- deleted users and service accounts: their tokens are refused at once.

The events it handles are pluggable by topic (`handlers`), so the directory's user and
service-account events join without this module knowing them.

A replica that records an invalidation applies it here right after the save
(`SessionViewReaction.apply`), so its own logout refuses the session's tokens at once
without waiting for its follower; applying an event twice changes nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from rigd.domain.event_store import EventStore
from rigd.domain.sessions import Session, SubjectType
from rigd.projections.follower import Batch, Follower, Notified, SharedLogEnd
from rigd.projections.wakeup import Wakeup

Handler = Callable[[Any, "SessionView"], None]


class SessionView:
    """What the hot path asks: is this token's session (or subject) dead? Thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._invalidated: dict[str, float] = {}  # session id -> its expiry (epoch seconds)
        self._sessions_since: dict[str, float] = {}  # user id -> new_sessions_since (epoch seconds)
        self._deleted: set[tuple[SubjectType, str]] = set()
        self._next_prune = 0.0

    def refusal(self, subject_type: SubjectType, subject: str, session_id: str, session_started: float) -> str:
        """Why a token of this subject and session is refused ("" when it is not).
        `session_started` is the token's `auth_time` (when its session started, epoch seconds)."""
        with self._lock:
            if (subject_type, subject) in self._deleted:
                return "the token's user or service account no longer exists"
            if subject_type is SubjectType.USER:
                if session_id in self._invalidated:
                    return "session invalidated"
                since = self._sessions_since.get(subject)
                if since is not None and session_started < since:
                    return "session expired"
        return ""

    def invalidate_session(self, session_id: str, expires_at: datetime) -> None:
        if expires_at.timestamp() <= self._clock():
            return  # its tokens have expired anyway (a start-up replays old invalidations)
        with self._lock:
            self._invalidated[session_id] = expires_at.timestamp()
            self._prune()

    def reset_sessions(self, user_id: str, since: datetime) -> None:
        with self._lock:
            self._sessions_since[user_id] = max(since.timestamp(), self._sessions_since.get(user_id, 0.0))

    def delete_subject(self, subject_type: SubjectType, subject: str) -> None:
        with self._lock:
            self._deleted.add((subject_type, subject))

    def restore_subject(self, subject_type: SubjectType, subject: str) -> None:
        """A subject created again under the same id (should that ever happen) is alive again."""
        with self._lock:
            self._deleted.discard((subject_type, subject))

    def invalidated_count(self) -> int:
        with self._lock:
            self._prune(force=True)
            return len(self._invalidated)

    def _prune(self, force: bool = False) -> None:
        """Forgets invalidated sessions past their expiry (at most once a minute)."""
        now = self._clock()
        if not force and now < self._next_prune:
            return
        self._next_prune = now + 60.0
        for session_id in [s for s, expiry in self._invalidated.items() if expiry <= now]:
            del self._invalidated[session_id]


def _session_invalidated(event: Session.Invalidated, view: SessionView) -> None:
    view.invalidate_session(str(event.originator_id), event.expires_at)


SESSION_HANDLERS: Mapping[str, Handler] = {Session.Invalidated.TOPIC: _session_invalidated}


class SessionViewReaction:
    """Applies events to the view by their topic (a `Reaction` of the follower)."""

    def __init__(self, view: SessionView, handlers: Mapping[str, Handler] = SESSION_HANDLERS) -> None:
        self.view = view
        self._handlers = dict(handlers)

    def topics(self) -> list[str]:
        return sorted(self._handlers)

    def handle(self, notified: Sequence[Notified], effects: None) -> None:
        self.apply(n.event for n in notified)

    def apply(self, events: Iterable[Any]) -> None:
        """Applies events of the handled topics (others are skipped): the follower's batches,
        and a replica's own just-saved events."""
        for item in events:
            handler = self._handlers.get(getattr(type(item), "TOPIC", ""))
            if handler is not None:
                handler(item, self.view)


class MemoryPositions:
    """A position kept in memory: the view is rebuilt from the log at every start."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._position = 0

    def position(self) -> int:
        with self._lock:
            return self._position

    @contextmanager
    def batch(self) -> Iterator[Batch[None]]:
        # one follower per view: batches never overlap, so the lock guards reads, not batches
        batch: Batch[None] = Batch(self.position(), None)
        yield batch
        if batch.end > batch.start:
            with self._lock:
                self._position = max(self._position, batch.end)


class AlwaysLeading:
    """Every process keeps its own view: this follower needs no leadership."""

    def held(self) -> bool:
        return True

    def wait_held(self, timeout: float) -> bool:
        return True


def session_view_follower(store: EventStore, reaction: SessionViewReaction, wakeup: Wakeup,
                          on_progress: Callable[[int], Any] | None = None,
                          log_end: SharedLogEnd | None = None) -> Follower[None]:
    """The follower that keeps `reaction.view` current; `catch_up()` it before serving, then `start()` it.
    `log_end`: the look at the log's end the projector's followers share (one query per save for all)."""
    return Follower("session-view", store, MemoryPositions(), reaction, wakeup, AlwaysLeading(), on_progress,
                    log_end=log_end, free_positions=True)
