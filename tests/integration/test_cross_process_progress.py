"""Two rigd instances on one SQLite data_dir: the one that does not lead the projector
learns promptly that its writes were applied by the other (no LISTEN on SQLite)."""

from __future__ import annotations

from pathlib import Path

from rigd.domain.context import CommandContext
from rigd.projections.follower import IDLE_WAIT
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings

TAKEOVER_SECONDS = 15
READ_TIMEOUT = 3.0  # below the followers' idle safety net: only a wake-up can meet it


def timeouts(rigd: Rigd) -> float:
    value = rigd.metrics.registry.get_sample_value("rigd_read_your_writes_timeouts_total", {"read_model": "projects"})
    return value or 0.0


def test_a_standby_on_sqlite_reads_its_writes_within_the_read_timeout(tmp_path: Path) -> None:
    assert READ_TIMEOUT < IDLE_WAIT
    settings = Settings(data_dir=tmp_path / "var", environments=(), read_timeout=READ_TIMEOUT)
    leader = build(settings)
    leader.start()
    standby = build(settings)
    try:
        assert leader.projector_leadership.wait_held(TAKEOVER_SECONDS)
        standby.start()
        assert not standby.projector_leadership.wait_held(1.5)
        for number in range(10):  # each write lands while the leader's projector is idle
            project_id = f"via-standby-{number}"
            written, _ = standby.projects.create(CommandContext(), project_id)
            assert standby.wait_for(written, ("projects",))
            assert standby.project_queries.get(project_id).project_id == project_id
        assert timeouts(standby) == 0
    finally:
        standby.close()
        leader.close()
