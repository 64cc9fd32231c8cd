"""Cron jobs on the local cluster: executions on schedule (read against a clock the test
moves), command jobs as processes, URL jobs as requests to an instance, retries and timeouts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rigd.adapters.local_cluster.driver import LocalCluster
from rigd.domain.cluster_driver import JobExecution, JobState, Outcome
from tests.local_cluster import PYTHON, http_config, place, ready_ids, running_cluster, target, wait_for


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 12, 2, 12, 0, 30, tzinfo=UTC))


@pytest.fixture
def driver(tmp_path: Path, clock: Clock) -> Iterator[LocalCluster]:
    with running_cluster(tmp_path / "cluster", clock=clock) as cluster:
        yield cluster


def command_job(name: str, code: str, **options: Any) -> dict[str, Any]:
    return {"job_name": name, "schedule": "* * * * *", "command": {"command": PYTHON, "args": ["-c", code]}, **options}


def finished(driver: LocalCluster, job: str) -> list[JobExecution]:
    return [e for e in driver.job_executions(place(), job) if e.state is not JobState.ONGOING]


def test_a_job_every_minute_runs_once_per_minute_and_completes(driver: LocalCluster, clock: Clock) -> None:
    outcomes = driver.apply(target(), http_config(replicas=0, cron_jobs=[command_job("tick", "print('tick')")]))
    assert ("cronjob/web-tick", Outcome.CREATED) in [(o.key, o.outcome) for o in outcomes]
    driver.run_schedules()
    assert driver.job_executions(place()) == []  # nothing came due since the job was made
    clock.advance(minutes=1)
    driver.run_schedules()
    driver.run_schedules()  # the same minute again starts nothing more
    [execution] = wait_for(lambda: finished(driver, "tick"), "the execution to finish")
    assert (execution.state, execution.retries, execution.rollout_id) == (JobState.COMPLETED, 0, 1)
    assert execution.execution_id == f"web-tick-{int(datetime(2026, 12, 2, 12, 1, tzinfo=UTC).timestamp()) // 60}"
    assert execution.finished_at is not None
    clock.advance(minutes=3)  # missed minutes run once, for the latest of them
    driver.run_schedules()
    wait_for(lambda: len(finished(driver, "tick")) == 2, "the second execution")


def test_a_failing_job_is_retried_then_failed(driver: LocalCluster, clock: Clock) -> None:
    job = command_job("fail", "import sys; sys.exit(1)", max_retries=2)
    driver.apply(target(), http_config(replicas=0, cron_jobs=[job]))
    clock.advance(minutes=1)
    driver.run_schedules()
    [execution] = wait_for(lambda: finished(driver, "fail"), "the execution to fail", timeout=60)
    assert (execution.state, execution.retries) == (JobState.FAILED, 2)


def test_a_job_past_its_timeout_is_terminated(driver: LocalCluster, clock: Clock) -> None:
    job = command_job("slow", "import time; time.sleep(60)", timeout="1s")
    driver.apply(target(), http_config(replicas=0, cron_jobs=[job]))
    clock.advance(minutes=1)
    driver.run_schedules()
    assert [e.state for e in driver.job_executions(place(), "slow")] == [JobState.ONGOING]
    [execution] = wait_for(lambda: finished(driver, "slow"), "the execution to time out")
    assert execution.state is JobState.TERMINATED


def test_a_url_job_requests_an_instance(driver: LocalCluster, clock: Clock) -> None:
    jobs = [{"job_name": "ping", "schedule": "*/5 * * * *", "url": {"port": "8080", "path": "/",
                                                                      "query_parameters": {"from": "cron"}}}]
    driver.apply(target(), http_config(replicas=1, cron_jobs=jobs))
    [instance_id] = wait_for(lambda: ready_ids(driver, place(), 1), "a ready instance")
    clock.advance(minutes=4)  # 12:04:30, and 12:05 is the first due minute
    driver.run_schedules()
    assert driver.job_executions(place()) == []
    clock.advance(minutes=1)
    driver.run_schedules()
    [execution] = wait_for(lambda: finished(driver, "ping"), "the request to finish")
    assert execution.state is JobState.COMPLETED
    from rigd.domain.cluster_driver import LogSelection

    assert any(b"GET /?from=cron" in line.data for line in driver.logs(place(), LogSelection(instance_id=instance_id)))


def test_stopping_ends_running_executions_and_forgets_the_jobs(driver: LocalCluster, clock: Clock) -> None:
    driver.apply(target(), http_config(replicas=0, cron_jobs=[command_job("slow", "import time; time.sleep(60)")]))
    clock.advance(minutes=1)
    driver.run_schedules()
    assert [e.state for e in driver.job_executions(place())] == [JobState.ONGOING]
    outcomes = driver.stop(place())
    assert ("cronjob/web-slow", Outcome.DELETED) in [(o.key, o.outcome) for o in outcomes]
    assert driver.job_executions(place()) == []
    clock.advance(minutes=1)
    driver.run_schedules()
    assert driver.job_executions(place()) == []
