"""Pure parts of the Kubernetes driver: log line times, exec statuses and queries, label
selectors, resource paths, and the stage of an applied object."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rigd.adapters.kubernetes.applying import stage_of
from rigd.adapters.kubernetes.cluster_api import KNOWN_RESOURCES, label_selector
from rigd.adapters.kubernetes.pod_exec import exec_query, exit_code_of
from rigd.adapters.kubernetes.pod_logs import log_query, parse_line
from rigd.domain.cluster_driver import ApplyStage, ExecRequest, LogSelection, LogStream, TerminalSize


@pytest.mark.parametrize(("raw", "when"), [
    (b"2026-01-02T03:04:05.123456789Z hello", datetime(2026, 1, 2, 3, 4, 5, 123456, UTC)),
    (b"2026-01-02T03:04:05Z hello", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
    (b"2026-01-02T04:04:05.5+01:00 hello", datetime(2026, 1, 2, 3, 4, 5, 500000, UTC)),
])
def test_log_lines_carry_the_servers_time(raw: bytes, when: datetime) -> None:
    line = parse_line("web-1", raw)
    assert (line.timestamp, line.data, line.stream, line.instance_id) == (when, b"hello", LogStream.STDOUT, "web-1")


def test_a_log_line_without_a_time_is_kept_whole() -> None:
    line = parse_line("web-1", b"no time here")
    assert line.data == b"no time here" and line.timestamp.tzinfo is not None


def test_log_queries() -> None:
    assert log_query("web", LogSelection()) == [("container", "web"), ("timestamps", "true")]
    query = log_query("web", LogSelection(follow=True, previous=True, since=timedelta(milliseconds=10)))
    assert query[2:] == [("follow", "true"), ("previous", "true"), ("sinceSeconds", "1")]


def test_exec_statuses() -> None:
    assert exit_code_of({"status": "Success"}) == (0, "")
    failure = {"status": "Failure", "reason": "NonZeroExitCode",
               "details": {"causes": [{"reason": "ExitCode", "message": "42"}]}}
    assert exit_code_of(failure) == (42, "")
    assert exit_code_of({"status": "Failure", "message": "container not found"}) == (1, "container not found")


def test_exec_queries() -> None:
    plain = exec_query("web", ExecRequest("ls", ("-l", "/")))
    assert plain == [("command", "ls"), ("command", "-l"), ("command", "/"), ("container", "web"),
                     ("stdout", "true"), ("stderr", "true")]
    terminal = exec_query("web", ExecRequest("sh", tty=TerminalSize(24, 80), interactive=True))
    assert ("tty", "true") in terminal and ("stdin", "true") in terminal and ("stderr", "true") not in terminal


def test_label_selectors_and_paths() -> None:
    assert label_selector({"b": "2", "a": "1"}, ("c",)) == "a=1,b=2,c"
    deployment = KNOWN_RESOURCES[("apps/v1", "Deployment")]
    assert deployment.item("ns", "web") == "/apis/apps/v1/namespaces/ns/deployments/web"
    assert KNOWN_RESOURCES[("v1", "Namespace")].item("", "ns") == "/api/v1/namespaces/ns"
    assert KNOWN_RESOURCES[("v1", "Pod")].collection("ns") == "/api/v1/namespaces/ns/pods"


def test_the_platforms_objects_are_configured_and_the_derived_ones_created() -> None:
    assert stage_of({"metadata": {"labels": {"app.kubernetes.io/managed-by": "rigd"}}}) is ApplyStage.CONFIGURE
    assert stage_of({"metadata": {"labels": {"rig.dev/owned-by-capsule": "web"}}}) is ApplyStage.RESOURCE_CREATION
