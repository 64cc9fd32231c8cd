"""The failed-login throttle is kept in events: it survives a restart (on both stores), and
two replicas count one identifier's failures together."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rigd.domain.context import CommandContext
from rigd.domain.errors import ResourceExhausted
from rigd.domain.event_store import EventStore
from rigd.domain.login_throttle import POLICY, LoginsThrottled, load_throttle, login_refusal
from rigd.services.composition import build
from rigd.services.config import Settings


def fail_login(store: EventStore, identifier: str) -> float:
    """What a login with a wrong password records: one failure (refused first while locked)."""

    def decide() -> float:
        throttle = load_throttle(store, identifier)
        refused = throttle.refusal(datetime.now(UTC))
        if refused is not None:
            raise refused
        delay = throttle.record_failure(datetime.now(UTC))
        store.record(throttle)
        return delay

    return store.decide(CommandContext(), decide)


def test_the_throttle_survives_a_restart_and_holds_across_replicas(settings: Settings) -> None:
    first, second = build(settings), build(settings)
    try:
        for replica in (first, second, first, second):  # failures arrive at both replicas
            fail_login(replica.store, "Ada@Example.com")
        assert login_refusal(first.store, "ada@example.com", datetime.now(UTC)) is None
        fail_login(second.store, " ada@example.com")  # the 5th, typed differently
        assert isinstance(login_refusal(first.store, "ada@example.com", datetime.now(UTC)), ResourceExhausted)
    finally:
        second.close()
        first.close()
    restarted = build(settings)
    try:
        refused = login_refusal(restarted.store, "ADA@example.com", datetime.now(UTC))
        assert refused is not None and "try again in 15 minutes" in refused.message
        with pytest.raises(LoginsThrottled):  # no further attempt is even counted
            fail_login(restarted.store, "ada@example.com")
        assert login_refusal(restarted.store, "bob@example.com", datetime.now(UTC)) is None  # one identifier only
        throttle = load_throttle(restarted.store, "ada@example.com")
        assert throttle.locks == 1 and throttle.locked_until == refused.until
        assert refused.until > datetime.now(UTC) + POLICY.lock_for * 0.9
    finally:
        restarted.close()
