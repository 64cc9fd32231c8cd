"""One active projector among replicas, by a lease in the read database: a standby takes over
when the lease lapses or is given up, never while it is renewed, and a leader that lost its
lease cannot move a position (the fence). Each test runs on SQLite and PostgreSQL.

Leases here are renewed by the tests themselves (`renew()`), so a leader that stops renewing
stands for a frozen one; the frozen *process* is tests/e2e/test_frozen_leader.py."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest

from rigd.adapters.leadership import POSTGRES_CLOCK, SQLITE_CLOCK, LeaseLeadership
from rigd.domain.context import CommandContext
from rigd.domain.errors import NotFound
from rigd.projections.follower import Follower, LeaseLost, Notified
from rigd.projections.positions import ReadDatabasePositions
from rigd.projections.projects import ProjectsReadModel
from rigd.projections.read_model import GenerationWrite
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from tests.conftest import TEST_AUTH_SECRET, TEST_SECRET_KEY

TAKEOVER_SECONDS = 15  # generous: the standby tries every fifth of a lease
ROLE = "test-role"


@pytest.fixture
def store_only(settings: Settings) -> Iterator[Rigd]:
    """A rigd whose own followers and leadership never run: only the tests' leases count."""
    rigd = build(settings)
    try:
        yield rigd
    finally:
        rigd.close()


@pytest.fixture
def lease(store_only: Rigd) -> Iterator[Callable[[float], LeaseLeadership]]:
    """Makes leaderships of ROLE in the rigd's read database, as another process would."""
    made: list[LeaseLeadership] = []
    clock = POSTGRES_CLOCK if store_only.settings.uses_postgres else SQLITE_CLOCK

    def make(seconds: float) -> LeaseLeadership:
        leadership = LeaseLeadership(store_only.read_database, ROLE, clock, seconds)
        leadership.prepare()
        made.append(leadership)
        return leadership

    yield make
    for leadership in made:
        leadership.stop()


def eventually(condition: Callable[[], bool], seconds: float = TAKEOVER_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def token(leadership: LeaseLeadership) -> int:
    assert leadership.token is not None
    return leadership.token


def test_a_standby_takes_over_once_the_lease_lapses(lease: Callable[[float], LeaseLeadership]) -> None:
    leader, standby = lease(2.0), lease(2.0)
    assert leader.renew()  # and never again: it stands for a frozen leader
    first = token(leader)
    assert not standby.renew()
    assert eventually(standby.renew)
    # The leader's own view ends no later than the database's, so it stopped leading first.
    assert not leader.held()
    assert token(standby) > first
    assert not leader.renew()  # the standby holds it now


def test_no_takeover_while_the_leader_renews(lease: Callable[[float], LeaseLeadership]) -> None:
    leader, standby = lease(3.0), lease(3.0)
    leader.start()
    assert leader.wait_held(TAKEOVER_SECONDS)
    first = token(leader)
    standby.start()
    assert not standby.wait_held(7.0)  # over two lease times, each renewed by the leader
    assert leader.held()
    assert token(leader) == first  # renewing is not a new term
    leader.stop()  # gives the lease up: the standby need not wait for it to lapse
    assert not leader.held()
    assert standby.wait_held(TAKEOVER_SECONDS)
    assert token(standby) > first


def test_the_token_grows_with_every_term(lease: Callable[[float], LeaseLeadership]) -> None:
    first, second = lease(1.0), lease(1.0)
    tokens = []
    for leadership in (first, second, first):
        assert eventually(leadership.renew)
        tokens.append(token(leadership))
        assert leadership.renew()
        assert token(leadership) == tokens[-1]
        leadership.stop()
    assert eventually(first.renew)  # the same holder again, after a lapse: a new term all the same
    tokens.append(token(first))
    assert tokens == sorted(set(tokens)), tokens


class FrozenMidBatch:
    """The projects read model, frozen inside its batch until `leader`'s lease has run out."""

    def __init__(self, leader: LeaseLeadership) -> None:
        self._leader = leader
        self._model = ProjectsReadModel()

    def topics(self) -> list[str]:
        return self._model.topics()

    def handle(self, notified: Sequence[Notified], effects: GenerationWrite) -> None:
        self._model.handle(notified, effects)
        assert eventually(lambda: not self._leader.held())


class Leading:
    def held(self) -> bool:
        return True

    def wait_held(self, timeout: float) -> bool:
        return True


def fenced_follower(rigd: Rigd, leader: LeaseLeadership, reaction: object = None) -> Follower[GenerationWrite]:
    positions = ReadDatabasePositions(rigd.read_database, rigd.projector.read_model("projects"), fence=leader.fence)
    return Follower("projects", rigd.store, positions, reaction or ProjectsReadModel(),  # type: ignore[arg-type]
                    rigd.wakeup, Leading())


def test_the_fence_refuses_a_batch_after_the_lease_ran_out(
        store_only: Rigd, lease: Callable[[float], LeaseLeadership]) -> None:
    rigd = store_only
    leader = lease(1.5)
    assert leader.renew()
    rigd.projects.create(CommandContext(), "never-half-applied")
    frozen = fenced_follower(rigd, leader, FrozenMidBatch(leader))
    with pytest.raises(LeaseLost):
        frozen.step()
    assert frozen.position() == 0  # the position did not move, and the batch's rows rolled back
    with pytest.raises(NotFound):
        rigd.project_queries.get("never-half-applied")

    assert leader.renew()  # a new term: following resumes where the refused batch started
    fenced_follower(rigd, leader).catch_up()
    assert rigd.project_queries.get("never-half-applied").project_id == "never-half-applied"
    assert frozen.position() == rigd.store.max_notification_id()


def test_the_fence_refuses_a_batch_once_the_database_says_another_holds_the_lease(
        store_only: Rigd, lease: Callable[[float], LeaseLeadership]) -> None:
    rigd = store_only
    leader = lease(30.0)
    assert leader.renew()
    rigd.projects.create(CommandContext(), "not-by-the-old-leader")
    # Another process took the row while this one still counts on its term (a clock that
    # jumped, an operator): only the database can tell.
    with rigd.read_database.transaction() as cursor:
        cursor.execute("UPDATE leases SET holder = $1, token = token + 1 WHERE role = $2", ("elsewhere", ROLE))
    assert leader.held()
    with pytest.raises(LeaseLost):
        fenced_follower(rigd, leader).step()
    with rigd.read_database.snapshot() as cursor:
        cursor.execute("SELECT position FROM read_model_generations WHERE name = $1 AND state = 'live'",
                       ("projects",))
        assert cursor.fetchone() == (0,)


def test_catch_up_needs_no_leadership(store_only: Rigd) -> None:
    rigd = store_only
    rigd.projects.create(CommandContext(), "caught-up")
    assert not rigd.projector_leadership.held()
    rigd.projector.catch_up()  # as `rigd rebuild-read-model` does, in a process that never leads
    assert rigd.project_queries.get("caught-up").project_id == "caught-up"


def test_fenced_batches_are_counted(store_only: Rigd) -> None:
    rigd = store_only
    leadership = rigd.projector_leadership
    with pytest.raises(LeaseLost), rigd.read_database.transaction() as cursor:
        leadership.fence(cursor)
    assert rigd.metrics.registry.get_sample_value("rigd_fenced_batches_total", {"role": "projector"}) == 1


@pytest.mark.postgres
def test_a_standby_replica_serves_its_writes_through_the_leaders_projector(postgres_url: str, tmp_path: Path) -> None:
    # read_timeout below the followers' 5 s idle wait: only NOTIFYs (of new events, to the
    # leader; of read-model progress, to the standby) can meet it.
    settings = replace(Settings(data_dir=tmp_path, environments=(), read_timeout=3),
                       database_url=postgres_url, secret_key=TEST_SECRET_KEY, auth_secret=TEST_AUTH_SECRET)
    leader, standby = build(settings), build(settings)
    leader.start()
    assert leader.projector_leadership.wait_held(TAKEOVER_SECONDS)
    standby.start()
    try:
        assert not standby.projector_leadership.wait_held(2.5)
        written, _ = standby.projects.create(CommandContext(), "via-standby")
        assert standby.wait_for(written, ("projects",))  # applied by the leader's projector
        assert standby.project_queries.get("via-standby").project_id == "via-standby"

        leader.close()
        assert standby.projector_leadership.wait_held(TAKEOVER_SECONDS)
        written, _ = standby.projects.create(CommandContext(), "after-takeover")
        assert standby.wait_for(written, ("projects",))
        assert standby.project_queries.get("after-takeover").project_id == "after-takeover"
    finally:
        standby.close()
        leader.close()


@pytest.mark.postgres
def test_postgres_ends_a_session_frozen_mid_batch(postgres_url: str, tmp_path: Path) -> None:
    settings = replace(Settings(data_dir=tmp_path, environments=(), leader_lease=1.0),
                       database_url=postgres_url, secret_key=TEST_SECRET_KEY, auth_secret=TEST_AUTH_SECRET)
    rigd = build(settings)
    lock_row = "UPDATE read_model_generations SET position = position WHERE name = $1 AND state = 'live'"
    try:
        with pytest.raises(psycopg.errors.IdleInTransactionSessionTimeout), rigd.read_database.transaction() as frozen:
            frozen.execute(lock_row, ("projects",))
            # While `frozen` sends nothing more, another batch waits for the row until the
            # server ends the frozen session (after a lease time), not for ever.
            with rigd.read_database.transaction() as other:
                other.execute("SET LOCAL lock_timeout = '30s'")
                other.execute(lock_row, ("projects",))
            frozen.execute("SELECT 1")  # the frozen session, awake: its batch is gone
    finally:
        rigd.close()
