"""The local cluster's cron schedules read as Kubernetes CronJobs read them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rigd.adapters.local_cluster.cron import CronSchedule, InvalidSchedule


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("schedule", "moment", "expected"),
    [
        ("* * * * *", "2026-12-02T12:01:00", True),
        ("*/15 9-17 * * mon-fri", "2026-12-02T09:45:00", True),  # a Wednesday
        ("*/15 9-17 * * mon-fri", "2026-12-02T09:50:00", False),
        ("*/15 9-17 * * mon-fri", "2026-12-05T09:45:00", False),  # a Saturday
        ("0 0 1 jan *", "2027-01-01T00:00:00", True),
        ("@hourly", "2026-12-02T13:00:00", True),
        ("@hourly", "2026-12-02T13:01:00", False),
        ("@daily", "2026-12-03T00:00:00", True),
        ("0 12 * * 7", "2026-12-06T12:00:00", True),  # 7 is Sunday too
        ("0 12 * * 0", "2026-12-06T12:00:00", True),
        ("0 12 13 * fri", "2026-12-04T12:00:00", True),  # both day fields given: either matches
        ("0 12 13 * fri", "2026-12-13T12:00:00", True),
        ("0 12 13 * fri", "2026-12-14T12:00:00", False),
        ("5,10-12/2 * * * *", "2026-12-02T12:11:00", False),
        ("5,10-12/2 * * * *", "2026-12-02T12:12:00", True),
        ("30/10 * * * *", "2026-12-02T12:50:00", True),
        ("30/10 * * * *", "2026-12-02T12:20:00", False),
    ],
)
def test_a_schedule_matches_its_minutes(schedule: str, moment: str, expected: bool) -> None:
    assert CronSchedule.parse(schedule).matches(at(moment)) is expected


def test_the_latest_due_minute_is_after_the_last_run_and_at_most_now() -> None:
    every_five = CronSchedule.parse("*/5 * * * *")
    assert every_five.latest(at("2026-12-02T12:00:00"), at("2026-12-02T12:17:30")) == at("2026-12-02T12:15:00")
    assert every_five.latest(at("2026-12-02T12:15:00"), at("2026-12-02T12:19:59")) is None
    assert every_five.latest(at("2026-12-02T12:14:59"), at("2026-12-02T12:15:00")) == at("2026-12-02T12:15:00")
    yearly = CronSchedule.parse("@yearly")
    assert yearly.latest(at("2020-01-01T00:00:00"), at("2026-12-02T12:00:00")) is None  # beyond the look-back


@pytest.mark.parametrize(
    "schedule", ["", "* * * *", "61 * * * *", "* * * * * *", "a * * * *", "*/0 * * * *", "5-1 * * * *"]
)
def test_an_invalid_schedule_is_refused(schedule: str) -> None:
    with pytest.raises(InvalidSchedule):
        CronSchedule.parse(schedule)
