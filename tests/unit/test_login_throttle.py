"""The failed-login throttle's policy, without a store."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from rigd.domain.context import CommandContext, acting
from rigd.domain.errors import ResourceExhausted
from rigd.domain.login_throttle import POLICY, LoginsThrottled, LoginThrottle, normalized_identifier

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def acting_scope() -> Iterator[None]:
    with acting(CommandContext()):
        yield


def test_one_identifier_however_it_is_typed_has_one_throttle() -> None:
    assert normalized_identifier("  Ada@Example.COM ") == "ada@example.com"
    assert LoginThrottle.create_id("Ada@Example.com") == LoginThrottle.create_id("ada@example.com ")
    assert LoginThrottle.create_id("ada@example.com") != LoginThrottle.create_id("bob@example.com")


def test_failures_are_slowed_then_locked_for_15_minutes() -> None:
    throttle = LoginThrottle("ada@example.com")
    delays = [throttle.record_failure(T0 + timedelta(seconds=i)) for i in range(4)]
    assert delays == [0.0, 0.0, 1.0, 2.0]
    assert throttle.refusal(T0 + timedelta(seconds=4)) is None
    throttle.record_failure(T0 + timedelta(seconds=4))  # the 5th in the window
    refused = throttle.refusal(T0 + timedelta(seconds=5))
    assert isinstance(refused, LoginsThrottled) and isinstance(refused, ResourceExhausted)
    assert refused.until == T0 + timedelta(seconds=4) + POLICY.lock_for
    assert "try again in 15 minutes" in refused.message and "UTC" in refused.message
    assert throttle.refusal(refused.until) is None  # the lock ends on time


def test_failures_outside_the_window_do_not_count() -> None:
    throttle = LoginThrottle("ada")
    for minute in range(0, 80, 20):  # 4 failures, each 20 minutes apart
        throttle.record_failure(T0 + timedelta(minutes=minute))
        throttle.record_failure(T0 + timedelta(minutes=minute, seconds=1))
    assert throttle.refusal(T0 + timedelta(minutes=61)) is None


def test_each_further_lock_before_a_success_doubles_then_a_success_clears() -> None:
    throttle = LoginThrottle("ada")
    now = T0
    for expected in (15, 30, 60):
        for _ in range(POLICY.lock_at):
            throttle.record_failure(now)
        refused = throttle.refusal(now)
        assert refused is not None and refused.until == now + timedelta(minutes=expected)
        now = refused.until
    throttle.record_success()
    assert throttle.locks == 0 and throttle.failures == []
    for _ in range(POLICY.lock_at):
        throttle.record_failure(now)
    assert throttle.refusal(now).until == now + timedelta(minutes=15)  # type: ignore[union-attr]


def test_the_lock_never_exceeds_a_day_and_a_success_with_nothing_to_clear_records_nothing() -> None:
    assert POLICY.lock_duration(20) == timedelta(hours=24)
    throttle = LoginThrottle("ada")
    throttle.record_success()
    assert [type(e).__name__ for e in throttle.collect_events()] == ["Created"]
