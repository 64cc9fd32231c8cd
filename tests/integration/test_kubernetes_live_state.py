"""The Kubernetes driver's live reads and actions against the recording API server
(tests/kube_recorder.py): the status stages of pods in each situation, logs (follow, previous,
since), exec (stdin, terminal, exit codes), metrics, custom metrics, job executions, objects by
kind, and the errors of the port."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from rigd.adapters.kubernetes.driver import KubeconfigError, KubernetesCluster, kubernetes_driver
from rigd.domain.cluster_driver import (
    CapsulePlace,
    ClusterUnavailable,
    ExecFailed,
    ExecRequest,
    ImagePull,
    InstanceNotFound,
    JobState,
    LogSelection,
    LogStream,
    ObjectReference,
    Phase,
    ProjectPlace,
    Readiness,
    TerminalSize,
)
from tests.kube_pods import crash_looping, job, job_path, pod, pod_path, pulling_failed, running
from tests.kube_recorder import KubeRecorder
from tests.unit.test_rendering import TLS, every_feature, target

PLACE = CapsulePlace.of(target())
PROJECT = ProjectPlace("shop", "prod", "shop-prod")
FIRST, SECOND = "web-5d8f7c9b6d-aaaaa", "web-5d8f7c9b6d-bbbbb"


@pytest.fixture
def driver(recorder: KubeRecorder, tmp_path: Path) -> KubernetesCluster:
    cluster = kubernetes_driver(str(recorder.kubeconfig(tmp_path / "kubeconfig")), options=TLS)
    cluster.apply(target(), every_feature())
    return cluster


def deployment(recorder: KubeRecorder) -> dict[str, Any]:
    found = recorder.get("/apis/apps/v1/namespaces/shop-prod/deployments/web")
    assert found is not None
    return found


def put(recorder: KubeRecorder, *pods: dict[str, Any]) -> None:
    for item in pods:
        recorder.put(pod_path(item["metadata"]["name"]), item)


def test_the_status_stages_of_pods(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    template = deployment(recorder)
    put(recorder,
        pod(template, "aaaaa", crash_looping()),
        pod(template, "bbbbb", pulling_failed(), phase="Pending", created="2026-01-02T03:04:07Z"),
        pod(template, "ccccc", pulling_failed("ErrImagePull"), phase="Pending", created="2026-01-02T03:04:08Z"),
        pod(template, "ddddd", {}, phase="Pending", node="", created="2026-01-02T03:04:09Z"),
        pod(template, "eeeee", running(), created="2026-01-02T03:04:10Z", deletionTimestamp="2026-01-02T03:06:00Z"))
    crash, backoff, error, unscheduled = driver.instances(PLACE)
    assert crash.readiness is Readiness.CRASH_LOOP_BACKOFF and crash.restarts == 4 and crash.fail_count == 4
    assert crash.last_termination is not None and crash.last_termination.exit_code == 2
    assert crash.failed_at == crash.last_termination.finished_at and crash.image_pull is ImagePull.DONE
    assert (backoff.image_pull, backoff.phase, backoff.readiness) == (ImagePull.BACK_OFF, Phase.PENDING,
                                                                      Readiness.NOT_READY)
    assert "Back-off pulling" in backoff.message
    assert error.image_pull is ImagePull.ERROR
    assert unscheduled.node == "" and unscheduled.image_pull is ImagePull.PULLING
    assert unscheduled.message.startswith("0/3 nodes are available")
    with_deleted = driver.instances(PLACE, include_deleted=True)
    assert with_deleted[-1].instance_id == "web-5d8f7c9b6d-eeeee" and with_deleted[-1].deleted_at is not None


def test_logs_of_the_previous_container_since_a_while(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    put(recorder, pod(deployment(recorder), "aaaaa", crash_looping()))
    recorder.cluster.logs[(FIRST, True)] = [("2026-01-02T03:05:00Z", "panic: no database")]
    recorder.take()
    selection = LogSelection(FIRST, since=timedelta(seconds=90.5), previous=True)
    assert [line.data for line in driver.logs(PLACE, selection)] == [b"panic: no database"]
    query = recorder.take()[-1].query
    assert ("previous", "true") in query and ("sinceSeconds", "91") in query


def test_followed_logs_of_every_instance_and_of_their_new_containers(driver: KubernetesCluster,
                                                                      recorder: KubeRecorder) -> None:
    driver.log_poll = 0.1
    template = deployment(recorder)
    put(recorder, pod(template, "aaaaa", running()), pod(template, "bbbbb", running()))
    recorder.cluster.logs[(FIRST, False)] = [("2026-01-02T03:04:11Z", "one")]
    recorder.cluster.logs[(SECOND, False)] = [("2026-01-02T03:04:12Z", "two")]
    feed = driver.logs(PLACE, LogSelection(follow=True, since=timedelta(minutes=5)))
    lines = iter(feed)
    assert {next(lines).data, next(lines).data} == {b"one", b"two"}
    recorder.end_logs()  # both containers end: each stream closes
    ended = sorted((line.instance_id, line.stream) for line in (next(lines), next(lines)))
    assert ended == [(FIRST, LogStream.TERMINATION), (SECOND, LogStream.TERMINATION)]
    restarted = pod(template, "aaaaa", running(restarts=1))
    recorder.cluster.logs[(FIRST, False)] = [("2026-01-02T03:06:00Z", "three")]
    put(recorder, restarted, pod(template, "ccccc", running(), created="2026-01-02T03:06:00Z"))
    recorder.cluster.logs[("web-5d8f7c9b6d-ccccc", False)] = [("2026-01-02T03:06:01Z", "four")]
    later = {next(lines).data for _ in range(4)}
    assert later == {b"three", b"four", b""}  # and their streams' ends
    feed.close()
    assert list(lines) == []
    queries = [r.query for r in recorder.take() if r.path.endswith("/log")]
    assert [("sinceSeconds", "300") in query for query in queries] == [True, True, False, False]


def test_a_followed_log_waits_for_a_container_to_start(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    driver.log_poll = 0.1
    template = deployment(recorder)
    put(recorder, pod(template, "aaaaa", pulling_failed(), phase="Pending"))
    assert list(driver.logs(PLACE, LogSelection(FIRST))) == []  # nothing to read yet
    feed = driver.logs(PLACE, LogSelection(FIRST, follow=True))
    lines = iter(feed)
    with pytest.raises(InstanceNotFound):  # a pod that does not run yet is still an instance
        driver.logs(PLACE, LogSelection("nope", follow=True))
    recorder.cluster.logs[(FIRST, False)] = [("2026-01-02T03:04:20Z", "started at last")]
    threading.Timer(0.3, put, (recorder, pod(template, "aaaaa", running()))).start()
    assert next(lines).data == b"started at last"
    feed.close()
    refused = [r for r in recorder.take() if r.path.endswith("/log")]
    assert len(refused) >= 3  # the read, the followed one, then again after the container waited


def test_a_followed_log_ends_when_closed(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    put(recorder, pod(deployment(recorder), "aaaaa", running()))
    recorder.cluster.logs[(FIRST, False)] = [("2026-01-02T03:04:11Z", "one")]
    feed = driver.logs(PLACE, LogSelection(FIRST, follow=True))
    lines = iter(feed)
    assert next(lines).data == b"one"
    threading.Timer(0.2, feed.close).start()
    assert list(lines) == []


def test_exec_with_stdin_and_a_terminal(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    put(recorder, pod(deployment(recorder), "aaaaa", running()))
    request = ExecRequest("cat", tty=TerminalSize(rows=24, columns=80), interactive=True)
    session = driver.execute(PLACE, FIRST, request)
    session.send(b"hello\n")
    session.resize(TerminalSize(rows=50, columns=132))
    session.close_stdin()
    assert b"".join(out.data for out in session) == b"hello\n"
    assert session.exit_code == 0
    assert recorder.cluster.resizes[:2] == [{"Width": 80, "Height": 24}, {"Width": 132, "Height": 50}]
    query = next(r for r in recorder.take() if r.path.endswith("/exec")).query
    assert ("stdin", "true") in query and ("tty", "true") in query and ("stderr", "true") not in query


def test_exec_over_the_v4_channel_protocol(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    put(recorder, pod(deployment(recorder), "aaaaa", running()))
    recorder.cluster.exec_protocols = ("v4.channel.k8s.io",)
    session = driver.execute(PLACE, FIRST, ExecRequest("echo", ("hi", "there")))
    assert session.protocol == "v4.channel.k8s.io"
    session.close_stdin()  # v4 cannot say it: a no-op, the session goes on
    assert [(o.stream, o.data) for o in session] == [(LogStream.STDOUT, b"hi there\n")]
    assert session.exit_code == 0


@pytest.mark.parametrize(("command", "code", "stderr"), [
    (("sh", "-c", "exit 3"), 3, b"failing\n"),
    (("false",), 1, b"failing\n"),
    (("missing",), 1, b'exec: "missing": executable file not found in $PATH\n'),
])
def test_exec_exit_codes(driver: KubernetesCluster, recorder: KubeRecorder, command: tuple[str, ...], code: int,
                         stderr: bytes) -> None:
    put(recorder, pod(deployment(recorder), "aaaaa", running()))
    session = driver.execute(PLACE, FIRST, ExecRequest(command[0], command[1:]))
    outputs = list(session)
    assert b"".join(o.data for o in outputs if o.stream is LogStream.STDERR) == stderr
    assert session.exit_code == code


def test_exec_needs_a_running_instance_and_a_command(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    template = deployment(recorder)
    put(recorder, pod(template, "aaaaa", running()), pod(template, "bbbbb", pulling_failed(), phase="Pending"))
    with pytest.raises(ExecFailed, match="not running"):
        driver.execute(PLACE, SECOND, ExecRequest("echo"))
    with pytest.raises(ExecFailed, match="no command"):
        driver.execute(PLACE, FIRST, ExecRequest(""))


def test_an_unknown_or_foreign_pod_is_not_an_instance(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    other = pod(deployment(recorder), "zzzzz", running())
    other["metadata"]["labels"] = {"rig.dev/capsule": "api"}
    put(recorder, other)
    for instance in ("nope", "web-5d8f7c9b6d-zzzzz"):
        with pytest.raises(InstanceNotFound):
            driver.restart(PLACE, instance)
        with pytest.raises(InstanceNotFound):
            driver.logs(PLACE, LogSelection(instance))
        with pytest.raises(InstanceNotFound):
            driver.execute(PLACE, instance, ExecRequest("echo"))
        with pytest.raises(InstanceNotFound):
            driver.metrics(PLACE, instance)
    assert recorder.get(pod_path("web-5d8f7c9b6d-zzzzz")) is not None


def test_metrics_from_pod_metrics(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    template = deployment(recorder)
    put(recorder, pod(template, "aaaaa", running()), pod(template, "bbbbb", running()))
    recorder.cluster.usage[FIRST] = ("250000000n", "64Mi")
    metrics = driver.metrics(PLACE)
    assert [(m.instance_id, m.cpu_ms, m.memory_bytes) for m in metrics] == [(FIRST, 250, 64 * 1024 * 1024)]
    assert [m.instance_id for m in driver.metrics(PLACE, FIRST)] == [FIRST]
    assert driver.metrics(PLACE, SECOND) == []  # not scraped yet


def test_no_metrics_api_means_no_metrics(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    put(recorder, pod(deployment(recorder), "aaaaa", running()))
    recorder.cluster.usage.clear()
    assert driver.metrics(PLACE) == []
    assert driver.custom_metrics(PLACE) == []


def test_custom_metrics_of_the_capsule_and_of_an_object(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    base = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop-prod"
    recorder.cluster.custom_names = ["pods/requests_per_second", "services/queue_depth", "pods/idle"]
    sample = {"metric": {"name": "requests_per_second"}, "timestamp": "2026-01-02T03:04:05Z"}
    recorder.cluster.custom[f"{base}/pods/*/requests_per_second"] = [
        {**sample, "value": "100"}, {**sample, "value": "300m", "timestamp": "2026-01-02T03:04:09Z"}]
    recorder.cluster.custom[f"{base}/services/queue/queue_depth"] = [
        {"metric": {"name": "queue_depth"}, "timestamp": "2026-01-02T03:04:05Z", "value": "30"}]
    (metric,) = driver.custom_metrics(PLACE)
    assert metric.name == "requests_per_second" and metric.latest_value == pytest.approx(50.15)
    assert metric.latest_timestamp.second == 9
    (depth,) = driver.object_metrics(PROJECT, ObjectReference("Service", "queue", "v1"))
    assert (depth.name, depth.latest_value) == ("queue_depth", 30.0)
    assert driver.object_metrics(PROJECT, ObjectReference("Widget", "w", "example.com/v1")) == []


def test_job_executions_are_the_jobs_of_the_capsules_cron_jobs(driver: KubernetesCluster,
                                                                recorder: KubeRecorder) -> None:
    done = {"succeeded": 1, "completionTime": "2026-01-02T03:00:30Z",
            "conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": "2026-01-02T03:00:30Z"}]}
    deadline = {"failed": 1, "conditions": [{"type": "Failed", "status": "True", "reason": "DeadlineExceeded",
                                             "lastTransitionTime": "2026-01-02T03:10:00Z"}]}
    failed = {"failed": 3, "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                                           "lastTransitionTime": "2026-01-02T03:06:00Z"}]}
    for item in (job("web-cleanup-29000000", "cleanup", "7", done, created="2026-01-02T03:00:00Z"),
                 job("web-ping-29000005", "ping", "7", {"active": 1}, created="2026-01-02T03:05:00Z"),
                 job("web-cleanup-29000001", "cleanup", "7", deadline, created="2026-01-02T03:01:00Z"),
                 job("web-ping-29000001", "ping", "6", failed, created="2026-01-02T03:01:00Z"),
                 job("hand-made", "cleanup", "7", done, created="2026-01-02T03:02:00Z", owner="someone-else")):
        recorder.put(job_path(item["metadata"]["name"]), item)
    executions = driver.job_executions(PLACE)
    assert [(e.execution_id, e.job_name, e.rollout_id, e.state, e.retries) for e in executions] == [
        ("web-cleanup-29000000", "cleanup", 7, JobState.COMPLETED, 0),
        ("web-cleanup-29000001", "cleanup", 7, JobState.TERMINATED, 1),
        ("web-ping-29000001", "ping", 6, JobState.FAILED, 3),
        ("web-ping-29000005", "ping", 7, JobState.ONGOING, 0),
    ]
    assert executions[0].finished_at is not None and executions[-1].finished_at is None
    assert [e.execution_id for e in driver.job_executions(PLACE, "ping")] == ["web-ping-29000001", "web-ping-29000005"]


def test_objects_by_kind_known_discovered_and_unknown(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    assert driver.objects_by_kind(PROJECT, "Deployment", "apps/v1") == [ObjectReference("Deployment", "web", "apps/v1")]
    recorder.cluster.served["/apis/example.com/v1"] = {"widgets": ("Widget", True)}
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w1", "namespace": "shop-prod"}}
    recorder.put("/apis/example.com/v1/namespaces/shop-prod/widgets/w1", widget)
    assert driver.objects_by_kind(PROJECT, "Widget", "example.com/v1") == [
        ObjectReference("Widget", "w1", "example.com/v1")]
    assert driver.objects_by_kind(PROJECT, "Gadget", "example.com/v1") == []


def test_an_unreachable_cluster_is_unavailable(recorder: KubeRecorder, tmp_path: Path) -> None:
    cluster = kubernetes_driver(str(recorder.kubeconfig(tmp_path / "kubeconfig")), options=TLS)
    recorder.stop()
    with pytest.raises(ClusterUnavailable, match="cannot be reached"):
        cluster.apply(target(), every_feature())
    with pytest.raises(ClusterUnavailable):
        cluster.instances(PLACE)


def test_refused_credentials_are_unavailable(recorder: KubeRecorder, tmp_path: Path) -> None:
    path = recorder.kubeconfig(tmp_path / "kubeconfig")
    path.write_text(path.read_text().replace("recorder-token", "wrong"))
    with pytest.raises(ClusterUnavailable, match="401"):
        kubernetes_driver(str(path)).instances(PLACE)


def test_a_kubeconfig_that_cannot_be_loaded(tmp_path: Path, recorder: KubeRecorder) -> None:
    with pytest.raises(KubeconfigError, match="missing"):
        kubernetes_driver(str(tmp_path / "missing"))
    path = recorder.kubeconfig(tmp_path / "kubeconfig")
    with pytest.raises(KubeconfigError):
        kubernetes_driver(str(path), context="no-such-context")
    assert kubernetes_driver(str(path), context="recorder").api.host == recorder.url
