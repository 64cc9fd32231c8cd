"""The local cluster driver with real processes: instances from a config, their ports, files
and environment, logs, Execute and metrics."""

from __future__ import annotations

import os
import stat
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from rigd.adapters.local_cluster import state
from rigd.adapters.local_cluster.driver import LocalCluster
from rigd.domain.cluster_driver import (
    ApplyStage,
    ExecFailed,
    InstanceNotFound,
    LogSelection,
    LogStream,
    Outcome,
    Phase,
    TerminalSize,
)
from tests.local_cluster import (
    FollowedLogs,
    http_config,
    place,
    ready_ids,
    run,
    running_cluster,
    target,
    wait_for,
)


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[LocalCluster]:
    with running_cluster(tmp_path / "cluster") as cluster:
        yield cluster


@pytest.fixture
def web(driver: LocalCluster) -> list[str]:
    """Two ready instances of the http.server capsule."""
    driver.apply(target(), http_config(replicas=2))
    return wait_for(lambda: ready_ids(driver, place(), 2), "two ready instances")


def port_of(driver: LocalCluster, instance_id: str) -> int:
    output, code = run(driver, place(), instance_id, "printenv", "PORT")
    assert code == 0
    return int(output)


def get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_applying_reports_each_object_created_then_unchanged(driver: LocalCluster) -> None:
    first = driver.apply(target(), http_config())
    assert {(o.key, o.outcome, o.stage) for o in first} == {
        ("capsule/web", Outcome.CREATED, ApplyStage.CONFIGURE),
        ("configmap/web", Outcome.CREATED, ApplyStage.CONFIGURE),
        (next(o.key for o in first if o.path), Outcome.CREATED, ApplyStage.CONFIGURE),
        ("deployment/web", Outcome.CREATED, ApplyStage.RESOURCE_CREATION),
    }
    assert [o.stage for o in first] == sorted((o.stage for o in first), key=lambda s: s is ApplyStage.RESOURCE_CREATION)
    assert next(o for o in first if o.path).path == "/etc/app/settings.txt"
    again = driver.apply(target(), http_config())
    assert {o.outcome for o in again} == {Outcome.NO_CHANGE}


def test_two_replicas_are_two_ready_processes_on_ports_of_their_own(driver: LocalCluster, web: list[str]) -> None:
    instances = driver.instances(place())
    assert all(i.phase is Phase.RUNNING and i.rollout_id == 1 and i.started_at is not None for i in instances)
    assert {i.image for i in instances} == {"index.docker.io/library/python:3.12"}
    ports = [port_of(driver, instance_id) for instance_id in web]
    assert len(set(ports)) == 2
    assert all(get(port, "/") == 200 for port in ports)
    output, _ = run(driver, place(), web[0], "printenv", "PORT_HTTP")
    assert int(output) == ports[0]


def test_an_instance_gets_its_environment_and_its_config_files_privately(driver: LocalCluster, web: list[str]) -> None:
    output, code = run(
        driver,
        place(),
        web[0],
        "sh",
        "-c",
        'echo "$GREETING $RIG_CAPSULE_NAME"; cat "$RIG_INSTANCE_ROOT/etc/app/settings.txt"; pwd',
    )
    assert code == 0
    greeting, file_line, working_directory = output.decode().splitlines()
    assert (greeting, file_line) == ("hello web", "a=1")
    written = Path(working_directory) / "etc" / "app" / "settings.txt"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
    environment, _ = run(driver, place(), web[0], "env")
    assert b"RIGD_" not in environment  # rigd's own settings (and secrets) stay out


def test_a_request_shows_in_the_logs_of_its_instance(driver: LocalCluster, web: list[str]) -> None:
    followed = FollowedLogs(driver.logs(place(), LogSelection(follow=True)))
    try:
        assert get(port_of(driver, web[1]), "/followed-request") == 404
        line = followed.wait_for(lambda line: b"GET /followed-request" in line.data, "with the request")
        assert (line.instance_id, line.stream) == (web[1], LogStream.STDERR)
    finally:
        followed.close()
    assert get(port_of(driver, web[0]), "/only-here") == 404
    lines = wait_for(
        lambda: [
            line for line in driver.logs(place(), LogSelection(instance_id=web[0])) if b"GET /only-here" in line.data
        ],
        "the request in the instance's logs",
    )
    assert lines[0].instance_id == web[0]
    assert not any(b"/followed-request" in line.data for line in driver.logs(place(), LogSelection(instance_id=web[0])))


def test_logs_since_leave_out_older_lines(driver: LocalCluster, web: list[str]) -> None:
    from datetime import timedelta

    assert any(b"Serving HTTP" in line.data for line in driver.logs(place(), LogSelection()))
    wait_for(
        lambda: (
            not any(
                b"Serving HTTP" in line.data
                for line in driver.logs(place(), LogSelection(since=timedelta(seconds=0.5)))
            )
        ),
        "the start-up line to be older than the window",
    )


def test_execute_answers_output_and_exit_code(driver: LocalCluster, web: list[str]) -> None:
    assert run(driver, place(), web[0], "echo", "hi") == (b"hi\n", 0)
    assert run(driver, place(), web[0], "sh", "-c", "echo oops >&2; exit 3") == (b"oops\n", 3)
    assert run(driver, place(), web[0], "cat", stdin=b"ping\npong\n") == (b"ping\npong\n", 0)


def test_execute_with_a_terminal_of_a_size_that_can_change(driver: LocalCluster, web: list[str]) -> None:
    from rigd.domain.cluster_driver import ExecRequest

    session = driver.execute(
        place(),
        web[0],
        ExecRequest("sh", ("-c", "stty size; read line; stty size; tty"), tty=TerminalSize(24, 80), interactive=True),
    )
    output = b""
    for item in session:
        output += item.data
        if b"24 80" in output and b"resized" not in output:
            session.resize(TerminalSize(40, 120))
            session.send(b"resized\n")
            output += b"[resized]"
    assert session.exit_code == 0
    text = output.decode()
    assert "24 80" in text and "40 120" in text and "/dev/pts/" in text


def test_execute_refuses_unknown_instances_and_commands(driver: LocalCluster, web: list[str]) -> None:
    from rigd.domain.cluster_driver import ExecRequest

    with pytest.raises(InstanceNotFound):
        driver.execute(place(), "web-nope", ExecRequest("echo"))
    with pytest.raises(ExecFailed):
        driver.execute(place(), web[0], ExecRequest("/no/such/program"))


def test_metrics_are_the_processes_cpu_and_memory(driver: LocalCluster, web: list[str]) -> None:
    for port in (port_of(driver, web[0]), port_of(driver, web[1])):
        for _ in range(20):
            get(port, "/")
    metrics = wait_for(lambda: [m for m in driver.metrics(place()) if m.cpu_ms > 0], "CPU time of both")
    assert sorted(m.instance_id for m in metrics) == sorted(web)
    assert all(m.memory_bytes > 1_000_000 for m in metrics)
    assert [m.instance_id for m in driver.metrics(place(), web[1])] == [web[1]]


def test_environment_sources_are_read_from_the_root(driver: LocalCluster) -> None:
    settings = {
        **http_config()["container_settings"],
        "environment_sources": [{"name": "shared", "kind": "KIND_CONFIG_MAP"}],
    }
    missing = driver.apply(target(), http_config(replicas=1, container_settings=settings))
    assert [(o.key, o.outcome, o.permanent) for o in missing] == [("configmap/shared", Outcome.FAILED, False)]
    assert driver.instances(place()) == []
    source = driver.root / "sources" / "shop" / "configmap"
    source.mkdir(parents=True)
    (source / "shared.json").write_text('{"FROM_SOURCE": "yes", "GREETING": "overridden"}')
    driver.apply(target(), http_config(replicas=1, container_settings=settings))
    [instance_id] = wait_for(lambda: ready_ids(driver, place(), 1), "a ready instance")
    assert run(driver, place(), instance_id, "sh", "-c", 'echo "$FROM_SOURCE $GREETING"')[0] == b"yes hello\n"


def test_a_config_without_a_command_is_refused_and_changes_nothing(driver: LocalCluster) -> None:
    config = http_config()
    del config["container_settings"]["command"]
    [failed] = driver.apply(target(), config)
    assert (failed.key, failed.outcome, failed.permanent) == ("deployment/web", Outcome.FAILED, True)
    assert "command" in failed.message
    assert driver.instances(place()) == []
    assert not state.capsule_folders(driver.root)


@pytest.mark.parametrize("path", ["relative.txt", "/", "/etc/../../escape.txt", "/etc//double"])
def test_a_config_file_path_that_is_not_absolute_and_clean_is_refused(driver: LocalCluster, path: str) -> None:
    [failed] = driver.apply(target(), http_config(config_files=[{"path": path, "content": ""}]))
    assert (failed.outcome, failed.permanent, failed.stage) == (Outcome.FAILED, True, ApplyStage.CONFIGURE)
    assert driver.instances(place()) == []


def test_a_secret_file_reaches_the_instance_and_everything_under_the_root_is_private(driver: LocalCluster) -> None:
    secret = {"path": "/run/secret.txt", "content": "c2VjcmV0LXZhbHVl", "is_secret": True}
    outcomes = driver.apply(target(), http_config(replicas=1, config_files=[secret]))
    assert any(o.kind == "secret" and o.is_secret for o in outcomes)
    [instance_id] = wait_for(lambda: ready_ids(driver, place(), 1), "a ready instance")
    output, _ = run(driver, place(), instance_id, "sh", "-c", 'cat "$RIG_INSTANCE_ROOT/run/secret.txt"')
    assert output == b"secret-value"
    for folder, _, files in os.walk(driver.root):
        assert stat.S_IMODE(os.stat(folder).st_mode) & 0o077 == 0, folder
        for name in files:
            assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) & 0o077 == 0, name


def test_objects_by_kind_are_the_projects_local_objects(driver: LocalCluster) -> None:
    from rigd.domain.cluster_driver import ObjectReference, ProjectPlace

    driver.apply(target(capsule="web"), http_config(replicas=0))
    driver.apply(target(capsule="api"), http_config(replicas=0))
    project = ProjectPlace("shop", "prod", "shop")
    assert driver.objects_by_kind(project, "Deployment", "apps/v1") == [
        ObjectReference("Deployment", "api", "apps/v1"),
        ObjectReference("Deployment", "web", "apps/v1"),
    ]
    assert driver.objects_by_kind(ProjectPlace("other", "prod", "other"), "Deployment", "apps/v1") == []
    assert driver.custom_metrics(place()) == []


def test_logs_keep_unfinished_lines_and_bytes_that_are_not_text(driver: LocalCluster) -> None:
    script = "printf 'prompt> '; printf '\\377\\376\\n' >&2; sleep 600"
    driver.apply(
        target(), http_config(replicas=1, network={}, container_settings={"command": "sh", "args": ["-c", script]})
    )
    lines = wait_for(lambda: len(lines := list(driver.logs(place(), LogSelection()))) >= 2 and lines, "both lines")
    assert {(line.stream, line.data) for line in lines} == {
        (LogStream.STDOUT, b"prompt> "),
        (LogStream.STDERR, b"\xff\xfe\n"),
    }


def test_closing_an_execution_ends_its_command(driver: LocalCluster, web: list[str]) -> None:
    from rigd.adapters.local_cluster import procfs
    from rigd.domain.cluster_driver import ExecRequest

    session = driver.execute(place(), web[0], ExecRequest("sh", ("-c", "echo $$; exec sleep 600")))
    first = next(iter(session))
    pid = int(first.data)
    assert procfs.ProcessIdentity.of(pid) is not None
    session.close()
    assert procfs.ProcessIdentity.of(pid) is None
    assert session.exit_code == 128 + 9
