"""The session view's memory: invalidated sessions are forgotten once their tokens expired."""

from datetime import UTC, datetime

from rigd.domain.sessions import SubjectType
from rigd.projections.session_view import SessionView


def test_an_invalidated_session_is_remembered_until_its_expiry() -> None:
    now = [1_800_000_000.0]
    view = SessionView(clock=lambda: now[0])
    view.invalidate_session("s-1", datetime.fromtimestamp(now[0] + 3600, UTC))
    view.invalidate_session("s-2", datetime.fromtimestamp(now[0] + 60, UTC))
    assert view.refusal(SubjectType.USER, "u-1", "s-1", 0) == "session invalidated"
    assert view.invalidated_count() == 2
    now[0] += 61
    assert view.invalidated_count() == 1
    now[0] += 3600
    assert view.invalidated_count() == 0


def test_a_later_reset_wins_and_an_earlier_one_does_not_undo_it() -> None:
    view = SessionView()
    view.reset_sessions("u-1", datetime.fromtimestamp(2000, UTC))
    view.reset_sessions("u-1", datetime.fromtimestamp(1000, UTC))  # replayed out of order
    assert view.refusal(SubjectType.USER, "u-1", "s", 1500) == "session expired"
    assert view.refusal(SubjectType.USER, "u-1", "s", 2000) == ""
    view.delete_subject(SubjectType.SERVICE_ACCOUNT, "sa-1")
    assert view.refusal(SubjectType.SERVICE_ACCOUNT, "sa-1", "j", 0) != ""
    view.restore_subject(SubjectType.SERVICE_ACCOUNT, "sa-1")
    assert view.refusal(SubjectType.SERVICE_ACCOUNT, "sa-1", "j", 0) == ""


def test_an_invalidation_whose_tokens_expired_long_ago_is_not_kept() -> None:
    view = SessionView(clock=lambda: 2000.0)
    view.invalidate_session("s-old", datetime.fromtimestamp(1000, UTC))  # replayed at start-up
    assert view.invalidated_count() == 0
