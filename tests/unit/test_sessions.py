"""Session rules, without a store: rotation, reuse detection, expiry, reset_sessions."""

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from rigd.domain.context import Actor, CommandContext, acting
from rigd.domain.sessions import (
    InvalidationReason,
    RefreshTokenReused,
    Session,
    SessionExpired,
    SessionInvalidated,
)

CTX = CommandContext(actor=Actor("ada", "Ada", user_id="u-1"), request_id="req-1")
WEEK = timedelta(days=7)


@pytest.fixture(autouse=True)
def as_ada() -> Iterator[None]:
    with acting(CTX):
        yield


def _session() -> tuple[Session, datetime]:
    now = datetime.now(UTC)
    return Session.start(uuid.uuid4(), "u-1", "user_password", now + WEEK), now


def test_a_session_is_started_under_the_chosen_id_and_renews_generation_by_generation() -> None:
    session_id = uuid.uuid4()
    now = datetime.now(UTC)
    session = Session.start(session_id, "u-1", "user_password", now + WEEK)
    assert (session.id, session.user_id, session.generation) == (session_id, "u-1", 0)
    assert session.renew(0, now + WEEK + timedelta(hours=1), now) is None
    assert session.renew(1, now + WEEK + timedelta(hours=2), now) is None
    assert (session.generation, session.expires_at) == (2, now + WEEK + timedelta(hours=2))
    events = session.collect_events()
    assert [type(e).__name__ for e in events] == ["Created", "Renewed", "Renewed"]
    assert events[0].actor == CTX.actor


def test_a_replayed_rotated_refresh_token_ends_the_session() -> None:
    session, now = _session()
    assert session.renew(0, now + WEEK, now) is None
    refused = session.renew(0, now + WEEK, now)  # generation 0 again: a copy was used
    assert isinstance(refused, RefreshTokenReused)
    assert session.invalidated
    invalidated = session.collect_events()[-1]
    assert isinstance(invalidated, Session.Invalidated)
    assert (invalidated.reason, invalidated.user_id) == (InvalidationReason.REFRESH_TOKEN_REUSED, "u-1")
    # even the current generation is refused now, and nothing more is recorded
    assert isinstance(session.renew(1, now + WEEK, now), SessionInvalidated)
    assert session.collect_events() == []


def test_logout_invalidates_once() -> None:
    session, now = _session()
    session.invalidate(InvalidationReason.LOGOUT)
    session.invalidate(InvalidationReason.LOGOUT)
    assert [type(e).__name__ for e in session.collect_events()] == ["Created", "Invalidated"]
    assert isinstance(session.refusal(now), SessionInvalidated)
    assert session.refusal(now).message == "session invalidated"  # type: ignore[union-attr]


def test_an_expired_session_and_one_older_than_new_sessions_since_are_dead() -> None:
    session, now = _session()
    assert session.refusal(now) is None
    assert isinstance(session.refusal(now + WEEK), SessionExpired)
    assert isinstance(session.renew(0, now + 2 * WEEK, now + WEEK), SessionExpired)
    reset = session.started_at + timedelta(seconds=1)
    refused = session.renew(0, now + WEEK, now + timedelta(seconds=2), new_sessions_since=reset)
    assert isinstance(refused, SessionExpired) and refused.message == "session expired"
    assert session.refusal(now, new_sessions_since=session.started_at - timedelta(seconds=1)) is None
    assert session.generation == 0  # no renewal was recorded
