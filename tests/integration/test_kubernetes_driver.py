"""The Kubernetes driver against a recording API server (tests/kube_recorder.py): no API server
can run here, so what is verified is the driver's requests (pinned as a golden request
sequence for a capsule using every feature) and how it reads a cluster's complete answers.

A changed golden file means the driver talks to clusters differently: check that it is
meant, then record it with RIGD_WRITE_GOLDEN=1."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest

from rigd.adapters.kubernetes import render_objects
from rigd.adapters.kubernetes.driver import KubernetesCluster, kubernetes_driver
from rigd.domain.cluster_driver import (
    ApplyStage,
    CapsulePlace,
    ExecRequest,
    ImagePull,
    LogSelection,
    LogStream,
    Outcome,
    Phase,
    Readiness,
)
from tests.kube_pods import pod, pod_path, running
from tests.kube_recorder import KubeRecorder, Recorded
from tests.unit.test_rendering import SECRET_TEXT, TLS, b64, every_feature, target

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "kubernetes" / "every-feature-requests.txt"
WRITE = os.environ.get("RIGD_WRITE_GOLDEN") == "1"
PLACE = CapsulePlace.of(target())


@pytest.fixture
def driver(recorder: KubeRecorder, tmp_path: Path) -> KubernetesCluster:
    return kubernetes_driver(str(recorder.kubeconfig(tmp_path / "kubeconfig")), options=TLS)


def reduced() -> dict[str, Any]:
    """every_feature without the `ping` cron job, the `grpc` interface (whose load balancer goes
    too) and the secret config file."""
    config = every_feature()
    config["config_files"] = [f for f in config["config_files"] if not f["is_secret"]]
    config["cron_jobs"] = [job for job in config["cron_jobs"] if job["job_name"] != "ping"]
    config["network"]["interfaces"] = [i for i in config["network"]["interfaces"] if i["name"] != "grpc"]
    return config


def put_pods(recorder: KubeRecorder) -> list[dict[str, Any]]:
    deployment = recorder.get("/apis/apps/v1/namespaces/shop-prod/deployments/web")
    assert deployment is not None
    pods = [pod(deployment, "aaaaa", running()), pod(deployment, "bbbbb", running(ready=False),
                                                     created="2026-01-02T03:04:07Z")]
    for item in pods:
        recorder.put(pod_path(item["metadata"]["name"]), item)
    return pods


def section(title: str, requests: list[Recorded]) -> list[str]:
    return [f"# {title}", *(request.line() for request in requests)]


def check_golden(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    if WRITE:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text)
    assert GOLDEN.exists(), f"no golden file {GOLDEN.name}: record it with RIGD_WRITE_GOLDEN=1"
    assert text == GOLDEN.read_text(), f"{GOLDEN.name} changed; if that is meant, record it with RIGD_WRITE_GOLDEN=1"


def apply_steps(driver: KubernetesCluster, recorder: KubeRecorder) -> list[str]:
    """Apply into a new namespace, apply again, apply with a cron job and an interface removed."""
    rendered = render_objects(target(), every_feature(), TLS)
    first = driver.apply(target(), every_feature())
    assert [(o.key, o.outcome) for o in first] == [
        (f"{item['kind'].lower()}/{item['metadata']['name']}", Outcome.CREATED) for item in rendered]
    golden = section("apply rollout 7 into a new namespace", recorder.take())

    assert {o.outcome for o in driver.apply(target(), every_feature())} == {Outcome.NO_CHANGE}
    golden += section("apply rollout 7 again", recorder.take())

    changed = driver.apply(target(8), reduced())
    assert [(o.key, o.stage) for o in changed if o.outcome is Outcome.DELETED] == [
        ("secret/web-file-run-secrets-db-password-6c3019e5", ApplyStage.CONFIGURE),
        ("cronjob/web-ping", ApplyStage.RESOURCE_CREATION), ("service/web-lb", ApplyStage.RESOURCE_CREATION)]
    # the configure stage first, each stage's deletions (in reverse render order) after what it applied
    assert [o.key for o in changed].index("secret/web-file-run-secrets-db-password-6c3019e5") == 3
    assert changed[-1].key == "service/web-lb"
    outcomes = {o.key: o.outcome for o in changed}
    assert outcomes["service/web-lb"] is Outcome.DELETED
    assert outcomes["capsule/web"] is Outcome.UPDATED and outcomes["deployment/web"] is Outcome.UPDATED
    assert outcomes["serviceaccount/web"] is Outcome.NO_CHANGE
    assert recorder.get("/apis/batch/v1/namespaces/shop-prod/cronjobs/web-ping") is None
    return golden + section("apply rollout 8 without the ping cron job, the grpc interface and the secret file",
                            recorder.take())


def instance_steps(driver: KubernetesCluster, recorder: KubeRecorder) -> list[str]:
    """Instances, logs, exec and restart of the pods the rollout's ReplicaSet made."""
    put_pods(recorder)
    instances = driver.instances(PLACE)
    assert [(i.instance_id, i.rollout_id, i.phase, i.readiness) for i in instances] == [
        ("web-5d8f7c9b6d-aaaaa", 8, Phase.RUNNING, Readiness.READY),
        ("web-5d8f7c9b6d-bbbbb", 8, Phase.RUNNING, Readiness.NOT_READY),
    ]
    golden = section("instances", recorder.take())

    recorder.cluster.logs[("web-5d8f7c9b6d-aaaaa", False)] = [
        ("2026-01-02T03:04:11.123456789Z", "listening on :8080"), ("2026-01-02T03:04:12Z", "GET /healthz 200")]
    lines = list(driver.logs(PLACE, LogSelection("web-5d8f7c9b6d-aaaaa")))
    assert [(line.data, line.stream) for line in lines] == [
        (b"listening on :8080", LogStream.STDOUT), (b"GET /healthz 200", LogStream.STDOUT)]
    assert lines[0].timestamp.microsecond == 123456
    golden += section("logs", recorder.take())

    session = driver.execute(PLACE, "web-5d8f7c9b6d-aaaaa", ExecRequest("echo", ("hi",)))
    assert [(out.stream, out.data) for out in session] == [(LogStream.STDOUT, b"hi\n")]
    assert session.exit_code == 0
    golden += section("execute echo hi", recorder.take())

    driver.restart(PLACE, "web-5d8f7c9b6d-aaaaa")
    after = [i.instance_id for i in driver.instances(PLACE)]
    assert "web-5d8f7c9b6d-aaaaa" not in after and len(after) == 2
    return golden + section("restart", recorder.take())


def test_the_request_sequence_of_a_capsule_using_every_feature(driver: KubernetesCluster,
                                                               recorder: KubeRecorder) -> None:
    check_golden(apply_steps(driver, recorder) + instance_steps(driver, recorder))


def test_each_applied_body_is_the_rendered_object_the_derived_ones_owned_by_the_capsule(
        driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    driver.apply(target(), every_feature())
    applied = [r for r in recorder.take() if r.method == "PATCH" and ("dryRun", "All") not in r.query]
    capsule = recorder.get("/apis/rig.dev/v1alpha2/namespaces/shop-prod/capsules/web")
    assert capsule is not None
    owner = {"apiVersion": "rig.dev/v1alpha2", "kind": "Capsule", "name": "web", "uid": capsule["metadata"]["uid"],
             "controller": True, "blockOwnerDeletion": True}
    bodies = [copy.deepcopy(r.body) for r in applied]
    for body in bodies:
        references = body["metadata"].pop("ownerReferences", None)
        derived = body["metadata"]["labels"].get("rig.dev/owned-by-capsule") == "web"
        assert references == ([owner] if derived else None), body["metadata"]["name"]
    assert bodies == render_objects(target(), every_feature(), TLS)
    assert {r.content_type for r in applied} == {"application/apply-patch+yaml"}
    assert all(("fieldManager", "rigd") in r.query and ("force", "true") in r.query for r in applied)


def test_stages_files_and_secrets_of_the_outcomes(driver: KubernetesCluster) -> None:
    outcomes = {o.key: o for o in driver.apply(target(), every_feature())}
    assert outcomes["capsule/web"].stage is ApplyStage.CONFIGURE
    assert outcomes["configmap/web"].stage is ApplyStage.CONFIGURE
    assert outcomes["deployment/web"].stage is ApplyStage.RESOURCE_CREATION
    files = {o.path: o for o in outcomes.values() if o.path}
    assert files["/etc/shop/config.yaml"].kind == "configmap" and not files["/etc/shop/config.yaml"].is_secret
    assert files["/run/secrets/db.password"].kind == "secret" and files["/run/secrets/db.password"].is_secret


def test_a_kind_the_cluster_does_not_serve_fails_the_dry_run_and_nothing_is_applied(
        driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    del recorder.cluster.served["/apis/rig.dev/v1alpha2"]
    outcomes = driver.apply(target(), every_feature())
    assert [(o.key, o.outcome, o.permanent) for o in outcomes] == [("capsule/web", Outcome.FAILED, True)]
    assert "serves no Capsule resource" in outcomes[0].message
    writes = [r for r in recorder.take() if r.method == "PATCH" and ("dryRun", "All") not in r.query]
    assert writes == []
    assert recorder.paths("/api/v1/namespaces/shop-prod/") == []


@pytest.mark.parametrize("refusal", ["webhook", "schema"])
def test_an_object_the_server_refuses_fails_the_dry_run_and_nothing_is_applied(
        driver: KubernetesCluster, recorder: KubeRecorder, refusal: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if refusal == "webhook":
        recorder.cluster.denied["/apis/apps/v1/namespaces/shop-prod/deployments/web"] = "images must be signed"
        expected = "images must be signed"
    else:
        def broken(*args: Any) -> list[dict[str, Any]]:
            objects = render_objects(*args)
            objects[5]["spec"]["replicas"] = "three"
            return objects
        monkeypatch.setattr("rigd.adapters.kubernetes.driver.render_objects", broken)
        expected = 'Deployment "web" is invalid'
    (failed,) = driver.apply(target(), every_feature())
    assert (failed.key, failed.outcome, failed.permanent) == ("deployment/web", Outcome.FAILED, True)
    assert expected in failed.message
    assert recorder.paths("/api/v1/namespaces/shop-prod/") == []
    assert recorder.paths("/apis/") == []


def test_a_refusal_after_a_clean_dry_run_stops_applying(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    recorder.cluster.denied_writes["/apis/apps/v1/namespaces/shop-prod/deployments/web"] = "quota changed"
    (failed,) = driver.apply(target(), every_feature())
    assert (failed.key, failed.outcome) == ("deployment/web", Outcome.FAILED) and "quota changed" in failed.message
    assert recorder.get("/api/v1/namespaces/shop-prod/serviceaccounts/web") is not None  # applied before it
    assert recorder.get("/api/v1/namespaces/shop-prod/services/web") is None  # not applied after it
    recorder.cluster.denied_writes.clear()
    outcomes = {o.key: o.outcome for o in driver.apply(target(), every_feature())}
    assert outcomes["serviceaccount/web"] is Outcome.NO_CHANGE and outcomes["deployment/web"] is Outcome.CREATED


def test_an_object_that_is_not_the_capsules_is_left_alone_unless_the_deploy_forces_override(
        driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    """rig-behavior 5.2: an existing object the capsule does not own (a Helm release's) is not
    touched, and nothing else is applied, unless the rollout carries `force_override`."""
    path = "/apis/apps/v1/namespaces/shop-prod/deployments/web"
    helm = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {
        "name": "web", "namespace": "shop-prod", "resourceVersion": "1",
        "labels": {"app.kubernetes.io/managed-by": "Helm"}}, "spec": {"replicas": 5}}
    recorder.put(path, helm)
    (refused,) = driver.apply(target(), every_feature())
    assert (refused.key, refused.outcome, refused.permanent) == ("deployment/web", Outcome.FAILED, True)
    assert "not capsule web's" in refused.message and "force_override" in refused.message
    assert recorder.get(path) == helm
    assert not [r for r in recorder.take() if r.method == "PATCH"]
    taken = {o.key: o.outcome for o in driver.apply(target(force_override=True), every_feature())}
    assert taken["deployment/web"] is Outcome.UPDATED and Outcome.FAILED not in taken.values()
    after = recorder.get(path)
    assert after is not None and after["metadata"]["labels"]["rig.dev/owned-by-capsule"] == "web"
    again = {o.key: o.outcome for o in driver.apply(target(), every_feature())}  # now the capsule's own
    assert again["deployment/web"] is Outcome.NO_CHANGE


def test_the_namespaces_shared_config_and_automatic_secret_are_the_pods_env_too(
        driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    """rig-behavior 5.4: after the Capsule's own sources and the ConfigMap `<capsule>`, the pods
    read the Secret `<capsule>` when the namespace has one, then every ConfigMap and Secret
    labelled `rig.dev/shared-config=true`; a change of shared data restarts them."""
    shared = {"rig.dev/shared-config": "true"}
    for kind, plural, name, labels in (("ConfigMap", "configmaps", "team-defaults", shared),
                                       ("Secret", "secrets", "team-tokens", shared),
                                       ("Secret", "secrets", "web", {}),
                                       ("ConfigMap", "configmaps", "unrelated", {})):
        recorder.put(f"/api/v1/namespaces/shop-prod/{plural}/{name}", {
            "apiVersion": "v1", "kind": kind, "data": {"K": "dmFsdWU="},
            "metadata": {"name": name, "namespace": "shop-prod", "labels": labels}})
    driver.apply(target(), every_feature())
    deployment = recorder.get("/apis/apps/v1/namespaces/shop-prod/deployments/web")
    assert deployment is not None
    pod = deployment["spec"]["template"]
    assert pod["spec"]["containers"][0]["envFrom"] == [
        {"configMapRef": {"name": "shared-settings"}}, {"secretRef": {"name": "database-credentials"}},
        {"configMapRef": {"name": "web"}}, {"secretRef": {"name": "web"}},
        {"configMapRef": {"name": "team-defaults"}}, {"secretRef": {"name": "team-tokens"}}]
    before = pod["metadata"]["annotations"]["rig.dev/config-checksum-shared-env"]
    recorder.put("/api/v1/namespaces/shop-prod/configmaps/team-defaults", {
        "apiVersion": "v1", "kind": "ConfigMap", "data": {"K": "other"},
        "metadata": {"name": "team-defaults", "namespace": "shop-prod", "labels": shared}})
    outcomes = {o.key: o.outcome for o in driver.apply(target(), every_feature())}
    assert outcomes["deployment/web"] is Outcome.UPDATED
    after = recorder.get("/apis/apps/v1/namespaces/shop-prod/deployments/web")
    assert after is not None and after["spec"]["template"]["metadata"]["annotations"][
        "rig.dev/config-checksum-shared-env"] != before


def test_a_refusal_quoting_a_secret_file_does_not_repeat_it(driver: KubernetesCluster,
                                                            recorder: KubeRecorder) -> None:
    path = "/api/v1/namespaces/shop-prod/secrets/web-file-run-secrets-db-password-6c3019e5"
    recorder.cluster.denied[path] = f"data.content {b64(SECRET_TEXT)!r} ({SECRET_TEXT}) looks like a password"
    (failed,) = driver.apply(target(), every_feature())
    assert failed.key == "secret/web-file-run-secrets-db-password-6c3019e5" and failed.is_secret
    assert SECRET_TEXT not in failed.message and b64(SECRET_TEXT) not in failed.message
    assert "looks like a password" in failed.message and "<redacted>" in failed.message


def test_a_namespace_rigd_may_not_create_fails_the_apply(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    recorder.cluster.denied["/api/v1/namespaces"] = "namespaces are made by the platform team"
    (failed,) = driver.apply(target(), every_feature())
    assert (failed.key, failed.outcome, failed.permanent) == ("namespace/shop-prod", Outcome.FAILED, True)
    assert "platform team" in failed.message
    assert not [r for r in recorder.take() if r.method == "PATCH"]


def test_an_existing_namespace_is_not_created_again(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    recorder.put("/api/v1/namespaces/shop-prod", {"apiVersion": "v1", "kind": "Namespace",
                                                  "metadata": {"name": "shop-prod"}})
    driver.apply(target(), every_feature())
    assert not [r for r in recorder.take() if r.method == "POST"]


def test_stop_deletes_only_what_rigd_wrote(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    driver.apply(target(), every_feature())
    foreign = {"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "hand-made", "namespace": "shop-prod", "labels": {"rig.dev/capsule": "web"}}}
    recorder.put("/api/v1/namespaces/shop-prod/configmaps/hand-made", foreign)
    outcomes = driver.stop(PLACE)
    assert {o.outcome for o in outcomes} == {Outcome.DELETED}
    assert len(outcomes) == len(render_objects(target(), every_feature(), TLS))
    assert outcomes[0].key == "cronjob/web-ping" and outcomes[-1].key == "capsule/web"
    assert recorder.paths("/api") == ["/api/v1/namespaces/shop-prod",
                                      "/api/v1/namespaces/shop-prod/configmaps/hand-made"]
    assert driver.stop(PLACE) == []


def test_applying_a_capsule_again_after_a_manual_change_updates_it(driver: KubernetesCluster,
                                                                    recorder: KubeRecorder) -> None:
    driver.apply(target(), every_feature())
    path = "/apis/apps/v1/namespaces/shop-prod/deployments/web"
    recorder.cluster.applied[path] = copy.deepcopy(recorder.cluster.applied[path]) | {"spec": {}}
    outcomes = {o.key: o.outcome for o in driver.apply(target(), every_feature())}
    assert outcomes["deployment/web"] is Outcome.UPDATED
    assert outcomes["service/web"] is Outcome.NO_CHANGE


def test_instances_report_image_pulls_as_done_when_running(driver: KubernetesCluster, recorder: KubeRecorder) -> None:
    driver.apply(target(), every_feature())
    put_pods(recorder)
    first = driver.instances(PLACE)[0]
    assert first.image_pull is ImagePull.DONE and first.node == "node-1" and first.started_at is not None
    assert first.image == every_feature()["image_id"]
