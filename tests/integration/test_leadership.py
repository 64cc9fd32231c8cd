"""One active projector among replicas; a standby takes over when the leader goes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from rigd.adapters.leadership import FileLeadership, PostgresLeadership
from rigd.domain.context import CommandContext
from rigd.services.composition import build
from rigd.services.config import Settings
from tests.conftest import TEST_SECRET_KEY

TAKEOVER_SECONDS = 15  # generous: the standby retries every second


def assert_one_leader_then_takeover(first, second) -> None:  # type: ignore[no-untyped-def]
    first.start()
    assert first.wait_held(TAKEOVER_SECONDS)
    second.start()
    try:
        assert not second.wait_held(2.5)  # several retries, all refused while first leads
        first.stop()
        assert not first.held()
        assert second.wait_held(TAKEOVER_SECONDS)
    finally:
        first.stop()
        second.stop()


def test_file_leadership(tmp_path: Path) -> None:
    path = tmp_path / "projector.leader"
    assert_one_leader_then_takeover(FileLeadership(path, "projector"), FileLeadership(path, "projector"))


@pytest.mark.postgres
def test_postgres_leadership(postgres_url: str) -> None:
    assert_one_leader_then_takeover(
        PostgresLeadership(postgres_url, "projector"), PostgresLeadership(postgres_url, "projector"))


@pytest.mark.postgres
def test_a_standby_replica_serves_its_writes_through_the_leaders_projector(postgres_url: str, tmp_path: Path) -> None:
    # read_timeout below the followers' 5 s idle wait: only NOTIFYs (of new events, to the
    # leader; of read-model progress, to the standby) can meet it.
    settings = replace(Settings(data_dir=tmp_path, environments=(), read_timeout=3),
                       database_url=postgres_url, secret_key=TEST_SECRET_KEY)
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
