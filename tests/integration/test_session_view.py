"""The session view follows the log in every process: a logout recorded by one replica is
refused by another (no store read on the hot path), and a restarted process rebuilds it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from eventsourcing.domain import event

from rigd.domain.context import CommandContext
from rigd.domain.event_store import EventStore
from rigd.domain.events import AuditedAggregate, AuditedCreated, AuditedEvent
from rigd.domain.sessions import InvalidationReason, Session, SubjectType
from rigd.projections.follower import Follower
from rigd.projections.session_view import (
    SESSION_HANDLERS,
    SessionView,
    SessionViewReaction,
    session_view_follower,
)
from rigd.projections.wakeup import Wakeup
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings

WAIT = 30.0  # seconds: generous, for a loaded machine


class Account(AuditedAggregate):
    """Stands in for the directory's user aggregate, whose events plug in by topic."""

    TOPIC = "test-session-view-account"

    class Created(AuditedCreated):
        TOPIC = "test-session-view-account.Created"

    class Deleted(AuditedEvent):
        TOPIC = "test-session-view-account.Deleted"

    class SessionsReset(AuditedEvent):
        TOPIC = "test-session-view-account.SessionsReset"
        since: datetime

    @event(Created)
    def __init__(self) -> None:
        pass

    @event(Deleted)
    def delete(self) -> None:
        pass

    @event(SessionsReset)
    def reset_sessions(self, since: datetime) -> None:
        pass


HANDLERS: dict[str, Any] = {
    **SESSION_HANDLERS,
    Account.Deleted.TOPIC: lambda e, view: view.delete_subject(SubjectType.USER, str(e.originator_id)),
    Account.SessionsReset.TOPIC: lambda e, view: view.reset_sessions(str(e.originator_id), e.since),
}


@contextmanager
def following(rigd: Rigd) -> Iterator[tuple[SessionViewReaction, Follower[None], Wakeup]]:
    """A session view of `rigd`'s process, caught up and following (as the wiring will run it)."""
    reaction = SessionViewReaction(SessionView(), HANDLERS)
    progress = Wakeup()
    follower = session_view_follower(rigd.store, reaction, rigd.wakeup, on_progress=progress.signal)
    follower.catch_up()
    follower.start()
    try:
        yield reaction, follower, progress
    finally:
        follower.stop()


def wait_position(follower: Follower[None], progress: Wakeup, notification_id: int) -> None:
    deadline = time.monotonic() + WAIT
    seen = progress.generation()
    while follower.position() < notification_id:
        assert time.monotonic() < deadline, f"the session view did not reach {notification_id} in {WAIT} s"
        seen = progress.wait(seen, 1.0)


def start_session(store: EventStore, user_id: str = "u-1") -> Session:
    def decide() -> Session:
        session = Session.start(uuid.uuid4(), user_id, "user_password", datetime.now(UTC) + timedelta(days=7))
        store.record(session)
        return session

    return store.decide(CommandContext(), decide)


def logout(store: EventStore, session_id: uuid.UUID) -> tuple[int, list[Any]]:
    def decide() -> tuple[int, list[Any]]:
        session = store.load(session_id, Session)
        assert session is not None
        session.invalidate(InvalidationReason.LOGOUT)
        pending = list(session.pending_events)
        return store.record(session), pending

    return store.decide(CommandContext(), decide)


def refusal(view: SessionView, session: Session) -> str:
    return view.refusal(SubjectType.USER, session.user_id, str(session.id), session.started_at.timestamp())


def test_a_logout_is_refused_at_once_by_its_replica_and_soon_by_another(settings: Settings) -> None:
    first, second = build(settings), build(settings)
    try:
        first.start()
        second.start()
        with following(first) as (own, _, _), following(second) as (other, other_follower, other_progress):
            session = start_session(first.store)
            assert refusal(own.view, session) == "" == refusal(other.view, session)
            position, saved = logout(first.store, session.id)
            own.apply(saved)  # what the logout does right after its save: no wait for the follower
            assert refusal(own.view, session) == "session invalidated"
            wait_position(other_follower, other_progress, position)  # the other replica learns from the log
            assert refusal(other.view, session) == "session invalidated"
    finally:
        second.close()
        first.close()


def test_a_restarted_process_rebuilds_the_view_from_the_log(settings: Settings) -> None:
    rigd = build(settings)
    try:
        rigd.start()
        dead, alive = start_session(rigd.store), start_session(rigd.store)
        logout(rigd.store, dead.id)
    finally:
        rigd.close()
    restarted = build(settings)
    try:
        restarted.start()
        with following(restarted) as (reaction, _, _):  # caught up before it serves
            assert refusal(reaction.view, dead) == "session invalidated"
            assert refusal(reaction.view, alive) == ""
    finally:
        restarted.close()


def test_handlers_plug_in_by_topic_for_deleted_users_and_reset_sessions(rigd: Rigd) -> None:
    store = rigd.store
    ctx = CommandContext()
    with following(rigd) as (reaction, follower, progress):
        deleted, reset = store.decide(ctx, lambda: (Account(), Account()))
        store.decide(ctx, lambda: store.record(deleted, reset))
        older = start_session(store, str(reset.id))
        ghost = start_session(store, str(deleted.id))
        since = datetime.now(UTC) + timedelta(seconds=1)

        def change() -> int:
            deleted.delete()
            reset.reset_sessions(since)
            return store.record(deleted, reset)

        position = store.decide(ctx, change)
        wait_position(follower, progress, position)
        view = reaction.view
        assert refusal(view, ghost) == "the token's user or service account no longer exists"
        assert refusal(view, older) == "session expired"
        assert view.refusal(SubjectType.USER, str(reset.id), str(uuid.uuid4()), since.timestamp() + 1) == ""
        assert view.refusal(SubjectType.SERVICE_ACCOUNT, str(reset.id), "x", 0) == ""
        assert sorted(reaction.topics()) == sorted(HANDLERS)
