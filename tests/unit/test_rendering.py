"""The Kubernetes renderer: every object it makes is valid Kubernetes (strictly, against one
Kubernetes version's schemas, through kubernetes-validate), the Capsule custom resource matches
a structural schema of rig.dev/v1alpha2 (tests/data/rendered/capsule-v1alpha2.schema.json:
Kubernetes' schemas do not cover a CRD), and golden files pin the names, labels and annotations.

A changed golden file means the objects in clusters would change: check that it is meant, then
record it with RIGD_WRITE_GOLDEN=1."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from rigd.adapters.kubernetes import IngressNotSupported, KubernetesRenderer, RenderOptions, render_objects
from rigd.adapters.kubernetes.metadata import file_object_name
from rigd.domain.errors import InvalidArgument
from rigd.domain.images import RegistryCredentials
from rigd.domain.rendering import PullLogin, RenderTarget

KUBERNETES_VERSION = "1.35.0"
GOLDEN = Path(__file__).resolve().parents[1] / "data" / "rendered"
WRITE = os.environ.get("RIGD_WRITE_GOLDEN") == "1"
CAPSULE_SCHEMA = json.loads((GOLDEN / "capsule-v1alpha2.schema.json").read_text())
SECRET_TEXT = "hunter2-the-database-password"
TLS = RenderOptions(ingress_class_name="nginx", cluster_issuer="letsencrypt")


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def target(rollout_id: int = 7, *, force_override: bool = False) -> RenderTarget:
    return RenderTarget(project_id="shop", environment_id="prod", capsule_id="web", namespace="shop-prod",
                        rollout_id=rollout_id, force_override=force_override)


def every_feature() -> dict[str, Any]:
    """A config using every feature the renderer knows, in proto3 JSON form with proto field names."""
    return {
        "replicas": 2,
        "image_id": "index.docker.io/library/nginx@sha256:" + "a" * 64,
        "network": {"interfaces": [
            {"name": "http", "port": 8080,
             "liveness": {"http": {"path": "/healthz"}}, "readiness": {"tcp": {}},
             "public": {"enabled": True, "method": {"ingress": {"host": "shop.example.com", "paths": ["/shop"]}}},
             "routes": [{"id": "api", "host": "api.example.com",
                         "options": {"annotations": {"nginx.ingress.kubernetes.io/rewrite-target": "/"}},
                         "paths": [{"path": "/v1", "match": "PATH_MATCH_TYPE_PATH_PREFIX"},
                                   {"path": "/status", "match": "PATH_MATCH_TYPE_EXACT"}]},
                        {"id": "root", "host": "www.example.com",
                         "options": {"annotations": {"cert-manager.io/cluster-issuer": "staging"}}}]},
            {"name": "grpc", "port": 9000, "readiness": {"grpc": {"service": "shop.Health"}},
             "public": {"enabled": True, "method": {"load_balancer": {"port": 443, "node_port": 30443}}}},
            {"name": "metrics", "port": 9090, "liveness": {"grpc": {}}},
        ]},
        "container_settings": {
            "environment_variables": {"LOG_LEVEL": "debug", "FEATURE_X": "on"},
            "command": "/bin/server", "args": ["--port", "8080"],
            "resources": {"requests": {"cpu_millis": 500, "memory_bytes": "268435456"},
                          "limits": {"cpu_millis": 2000, "memory_bytes": "1073741824"},
                          "gpu_limits": {"type": "nvidia.com/gpu", "count": 1}},
            "environment_sources": [{"name": "shared-settings", "kind": "KIND_CONFIG_MAP"},
                                    {"name": "database-credentials", "kind": "KIND_SECRET"}],
        },
        "auto_add_rig_service_accounts": True,
        "config_files": [
            {"path": "/etc/shop/config.yaml", "content": b64("listen: 8080\nname: shop\n"), "is_secret": False,
             "updated_by": {"identifier": "ada@example.com"}, "updated_at": "2026-01-02T03:04:05Z"},
            {"path": "/run/secrets/db.password", "content": b64(SECRET_TEXT), "is_secret": True},
        ],
        "horizontal_scale": {
            "min_replicas": 3, "max_replicas": 10, "cpu_target": {"average_utilization_percentage": 70},
            "custom_metrics": [
                {"instance": {"metric_name": "requests_per_second", "average_value": "100",
                              "match_labels": {"route": "api"}}},
                {"object": {"metric_name": "queue_depth", "value": "30", "match_labels": {"queue": "orders"},
                            "object_reference": {"kind": "Service", "name": "queue", "api_version": "v1"}}},
                {"object": {"metric_name": "lag", "average_value": "5",
                            "object_reference": {"kind": "Deployment", "name": "worker", "api_version": "apps/v1"}}},
            ],
        },
        "cron_jobs": [
            {"job_name": "cleanup", "schedule": "0 3 * * *", "max_retries": 2, "timeout": "600s",
             "command": {"command": "/bin/cleanup", "args": ["--older-than", "7d"]}},
            {"job_name": "ping", "schedule": "*/5 * * * *",
             "url": {"port": "8080", "path": "/tasks/ping", "query_parameters": {"b": "2", "a": "1 & 2"}}},
        ],
        "annotations": {"plugin.rig.dev/env-mapping": "{}", "team": "checkout"},
    }


def minimal() -> dict[str, Any]:
    return {"replicas": 1, "image_id": "nginx:1.27"}


def validate(resource: dict[str, Any]) -> None:
    """Strictly valid Kubernetes (unknown fields refused), or the Capsule schema for the CR."""
    if resource["kind"] == "Capsule":
        jsonschema.validate(resource, CAPSULE_SCHEMA)
    else:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def by_key(resources: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f"{item['kind'].lower()}/{item['metadata']['name']}": item for item in resources}


def identity(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the golden files pin: each object's key, labels and annotations, and its pods'."""
    result = []
    for key, item in by_key(resources).items():
        entry: dict[str, Any] = {"key": key, "labels": item["metadata"].get("labels", {}),
                                 "annotations": item["metadata"].get("annotations", {})}
        spec = item.get("spec", {})
        template = spec.get("template") or spec.get("jobTemplate", {}).get("spec", {}).get("template")
        if template:
            entry["pod"] = {"labels": template["metadata"].get("labels", {}),
                            "annotations": template["metadata"].get("annotations", {})}
        result.append(entry)
    return result


def check_golden(name: str, resources: list[dict[str, Any]]) -> None:
    path = GOLDEN / f"{name}.yaml"
    text = yaml.safe_dump(identity(resources), sort_keys=False, width=120)
    if WRITE:
        path.write_text(text)
    assert path.exists(), f"no golden file {path.name}: record it with RIGD_WRITE_GOLDEN=1"
    assert text == path.read_text(), f"{path.name} changed; if that is meant, record it with RIGD_WRITE_GOLDEN=1"


@pytest.mark.parametrize("options", [TLS, RenderOptions(disable_tls=True)], ids=["tls", "no-tls"])
def test_every_object_of_a_capsule_using_every_feature_is_valid(options: RenderOptions) -> None:
    resources = render_objects(target(force_override=True), every_feature(), options)
    for resource in resources:
        validate(resource)
    assert list(by_key(resources)) == [
        "capsule/web", "configmap/web",
        f"configmap/{file_object_name('web', '/etc/shop/config.yaml')}",
        f"secret/{file_object_name('web', '/run/secrets/db.password')}",
        "serviceaccount/web", "deployment/web", "horizontalpodautoscaler/web", "service/web", "service/web-lb",
        "ingress/web-public", "ingress/web-api", "ingress/web-root", "cronjob/web-cleanup", "cronjob/web-ping",
    ]


def test_a_minimal_capsule_is_valid_and_small() -> None:
    resources = render_objects(target(), minimal())
    for resource in resources:
        validate(resource)
    assert list(by_key(resources)) == ["capsule/web", "configmap/web", "serviceaccount/web", "deployment/web"]


def test_golden_names_labels_and_annotations() -> None:
    check_golden("every-feature", render_objects(target(force_override=True), every_feature(), TLS))
    check_golden("minimal", render_objects(target(), minimal()))


def test_the_validation_would_catch_a_wrong_object() -> None:
    deployment = by_key(render_objects(target(), minimal()))["deployment/web"]
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(deployment)
    capsule = by_key(render_objects(target(), minimal()))["capsule/web"]
    capsule["spec"]["replicas"] = 3
    with pytest.raises(jsonschema.ValidationError):
        validate(capsule)


def test_the_capsule_carries_rollout_override_and_user_annotations() -> None:
    capsule = by_key(render_objects(target(force_override=True), every_feature(), TLS))["capsule/web"]
    assert capsule["apiVersion"] == "rig.dev/v1alpha2"
    assert capsule["metadata"]["namespace"] == "shop-prod"
    assert capsule["metadata"]["annotations"] == {
        "plugin.rig.dev/env-mapping": "{}", "team": "checkout",
        "rig.dev/rollout": "7", "rig.dev/override-ownership": "true",
    }
    plain = by_key(render_objects(target(), every_feature(), TLS))["capsule/web"]
    assert "rig.dev/override-ownership" not in plain["metadata"]["annotations"]
    spec = capsule["spec"]
    assert spec["scale"]["horizontal"]["instances"] == {"min": 3, "max": 10}
    assert spec["env"]["from"] == [{"kind": "ConfigMap", "name": "shared-settings"},
                                   {"kind": "Secret", "name": "database-credentials"}]
    assert [file["ref"]["kind"] for file in spec["files"]] == ["ConfigMap", "Secret"]
    assert {file["ref"]["key"] for file in spec["files"]} == {"content"}


def test_the_deployment_container() -> None:
    resources = by_key(render_objects(target(), every_feature(), TLS))
    deployment = resources["deployment/web"]
    assert "replicas" not in deployment["spec"]  # the HPA owns the count
    pod = deployment["spec"]["template"]
    container = pod["spec"]["containers"][0]
    assert container["name"] == "web" and pod["spec"]["serviceAccountName"] == "web"
    assert container["command"] == ["/bin/server"] and container["args"] == ["--port", "8080"]
    assert container["env"] == [{"name": "RIG_CAPSULE_NAME", "value": "web"}]
    assert container["envFrom"] == [{"configMapRef": {"name": "shared-settings"}},
                                    {"secretRef": {"name": "database-credentials"}},
                                    {"configMapRef": {"name": "web"}}]
    assert container["resources"] == {
        "requests": {"cpu": "500m", "memory": "268435456", "nvidia.com/gpu": "1"},
        "limits": {"cpu": "2000m", "memory": "1073741824", "nvidia.com/gpu": "1"},
    }
    assert container["livenessProbe"] == {"grpc": {"port": 9090}}  # the last interface defining one wins
    assert container["readinessProbe"] == {"grpc": {"port": 9000, "service": "shop.Health"}}
    secret_name = file_object_name("web", "/run/secrets/db.password")
    assert {"name": f"secret-{secret_name}", "mountPath": "/run/secrets/db.password", "subPath": "db.password",
            "readOnly": True} in container["volumeMounts"]
    assert {"name": f"secret-{secret_name}", "secret": {"secretName": secret_name,
            "items": [{"key": "content", "path": "db.password"}]}} in pod["spec"]["volumes"]
    assert pod["metadata"]["annotations"]["rig.dev/rollout"] == "7"
    assert set(pod["metadata"]["annotations"]) == {
        "rig.dev/rollout", "rig.dev/config-checksum-files", "rig.dev/config-checksum-auto-env"}


def test_default_resources_and_probes_of_each_kind() -> None:
    config = minimal() | {"network": {"interfaces": [
        {"name": "http", "port": 80, "liveness": {"http": {"path": "/live"}}, "readiness": {"tcp": {}}}]}}
    container = by_key(render_objects(target(), config))["deployment/web"]["spec"]["template"]["spec"]["containers"][0]
    assert container["resources"] == {"requests": {"cpu": "200m", "memory": "512000000"}}
    assert container["livenessProbe"] == {"httpGet": {"path": "/live", "port": "http"}}
    assert container["readinessProbe"] == {"tcpSocket": {"port": "http"}}
    assert container["ports"] == [{"name": "http", "containerPort": 80, "protocol": "TCP"}]


def test_a_limit_below_the_default_request_lowers_the_request() -> None:
    config = minimal() | {"container_settings": {"resources": {"limits": {"memory_bytes": "134217728",
                                                                          "cpu_millis": 100}}}}
    deployment = by_key(render_objects(target(), config))["deployment/web"]
    validate(deployment)
    resources = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert resources == {"requests": {"cpu": "100m", "memory": "134217728"},
                         "limits": {"cpu": "100m", "memory": "134217728"}}


@pytest.mark.parametrize(("horizontal", "replicas"), [
    ({"min_replicas": 2, "max_replicas": 5}, 2),  # no metric
    ({"min_replicas": 2, "cpu_target": {"average_utilization_percentage": 50}}, 2),  # no max
    ({"min_replicas": 0, "max_replicas": 5, "cpu_target": {"average_utilization_percentage": 50}}, 0),  # min 0
])
def test_no_autoscaler_without_min_max_and_a_metric(horizontal: dict[str, Any], replicas: int) -> None:
    resources = by_key(render_objects(target(), minimal() | {"replicas": 0, "horizontal_scale": horizontal}))
    assert "horizontalpodautoscaler/web" not in resources
    assert resources["deployment/web"]["spec"]["replicas"] == replicas


def test_the_autoscaler_metrics() -> None:
    autoscaler = by_key(render_objects(target(), every_feature(), TLS))["horizontalpodautoscaler/web"]
    assert autoscaler["spec"]["minReplicas"] == 3 and autoscaler["spec"]["maxReplicas"] == 10
    assert [metric["type"] for metric in autoscaler["spec"]["metrics"]] == ["Resource", "Pods", "Object", "Object"]
    assert autoscaler["spec"]["metrics"][1]["pods"] == {
        "metric": {"name": "requests_per_second", "selector": {"matchLabels": {"route": "api"}}},
        "target": {"type": "AverageValue", "averageValue": "100"}}
    assert autoscaler["spec"]["metrics"][2]["object"]["target"] == {"type": "Value", "value": "30"}
    assert autoscaler["spec"]["metrics"][3]["object"]["target"] == {"type": "AverageValue", "averageValue": "5"}


def test_services_and_ingresses() -> None:
    resources = by_key(render_objects(target(), every_feature(), TLS))
    assert resources["service/web"]["spec"]["selector"] == {"rig.dev/capsule": "web"}
    assert [port["targetPort"] for port in resources["service/web"]["spec"]["ports"]] == ["http", "grpc", "metrics"]
    assert resources["service/web-lb"]["spec"]["type"] == "LoadBalancer"
    assert resources["service/web-lb"]["spec"]["ports"] == [
        {"name": "grpc", "port": 443, "protocol": "TCP", "targetPort": "grpc"}]  # (no node port in the Capsule CRD)
    api = resources["ingress/web-api"]
    assert api["metadata"]["annotations"] == {"cert-manager.io/cluster-issuer": "letsencrypt",
                                              "nginx.ingress.kubernetes.io/rewrite-target": "/"}
    assert api["spec"]["ingressClassName"] == "nginx"
    assert api["spec"]["tls"] == [{"hosts": ["api.example.com"], "secretName": "web-api-tls"}]
    assert [(p["path"], p["pathType"]) for p in api["spec"]["rules"][0]["http"]["paths"]] == [
        ("/v1", "Prefix"), ("/status", "Exact")]
    backend = {"service": {"name": "web", "port": {"name": "http"}}}
    assert api["spec"]["rules"][0]["http"]["paths"][0]["backend"] == backend
    assert [p["path"] for p in resources["ingress/web-root"]["spec"]["rules"][0]["http"]["paths"]] == ["/"]
    # a route's own annotations win over the cluster's, as the operator's ingress plugin merges them
    assert resources["ingress/web-root"]["metadata"]["annotations"] == {"cert-manager.io/cluster-issuer": "staging"}
    assert resources["ingress/web-public"]["spec"]["rules"][0]["host"] == "shop.example.com"
    untls = by_key(render_objects(target(), every_feature(), RenderOptions(disable_tls=True)))["ingress/web-api"]
    assert "tls" not in untls["spec"] and "cert-manager.io/cluster-issuer" not in untls["metadata"]["annotations"]


def test_an_ingress_the_cluster_cannot_serve_is_an_invalid_argument() -> None:
    with pytest.raises(IngressNotSupported, match="neither a cert-manager cluster issuer") as refused:
        render_objects(target(), every_feature(), RenderOptions(ingress_class_name="nginx"))
    assert isinstance(refused.value, InvalidArgument)
    without_ingress = minimal() | {"network": {"interfaces": [{"name": "http", "port": 80}]}}
    assert render_objects(target(), without_ingress, RenderOptions())  # no ingress asked for: fine


def test_cron_jobs() -> None:
    resources = by_key(render_objects(target(), every_feature(), TLS))
    cleanup, ping = resources["cronjob/web-cleanup"], resources["cronjob/web-ping"]
    assert cleanup["metadata"]["labels"]["batch.kubernets.io/cronjob"] == "cleanup"
    assert cleanup["metadata"]["annotations"] == {"rig.dev/rollout": "7"}
    job = cleanup["spec"]["jobTemplate"]["spec"]
    assert (job["backoffLimit"], job["activeDeadlineSeconds"]) == (2, 600)
    container = job["template"]["spec"]["containers"][0]
    assert container["command"] == ["/bin/cleanup"] and container["args"] == ["--older-than", "7d"]
    assert container["image"] == every_feature()["image_id"] and "livenessProbe" not in container
    assert job["template"]["spec"]["restartPolicy"] == "Never"
    assert job["template"]["metadata"]["labels"] == {"batch.kubernets.io/cronjob": "cleanup"}  # not the Service's
    url_container = ping["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert url_container == {"name": "web-ping", "image": "quay.io/curl/curl:latest", "command": [
        "curl", "-G", "--fail-with-body", "-d", "a=1+%26+2", "-d", "b=2", "http://web:8080/tasks/ping"]}


def test_every_derived_object_is_labelled_as_the_capsules() -> None:
    for resource in render_objects(target(), every_feature(), TLS):
        labels = resource["metadata"]["labels"]
        assert labels["rig.dev/capsule"] == "web"
        name = resource["metadata"]["name"]
        written = resource["kind"] in ("Capsule", "Secret") or (
            resource["kind"] == "ConfigMap" and (name == "web" or "-file-" in name))
        if written:
            assert labels["app.kubernetes.io/managed-by"] == "rigd"
        else:
            assert labels["rig.dev/owned-by-capsule"] == "web"


def test_file_objects_have_stable_distinct_dns_safe_names() -> None:
    paths = ["/a-b", "/a/b", "/A/b", "/etc/" + "x" * 300, "/etc/.hidden", "/"]
    names = [file_object_name("a" * 63, path) for path in paths]
    assert len(set(names)) == len(paths)
    for name in names:
        assert len(name) <= 63 and name == name.lower() and name[0].isalnum() and name[-1].isalnum()
    assert file_object_name("web", "/etc/shop/config.yaml") == file_object_name("web", "/etc/shop/config.yaml")
    assert file_object_name("web", "/etc/shop/config.yaml").startswith("web-file-etc-shop-config-yaml-")


def test_plain_files_are_readable_and_secret_files_are_secrets() -> None:
    resources = by_key(render_objects(target(), every_feature(), TLS))
    plain = resources[f"configmap/{file_object_name('web', '/etc/shop/config.yaml')}"]
    assert plain["data"] == {"content": "listen: 8080\nname: shop\n"}
    secret = resources[f"secret/{file_object_name('web', '/run/secrets/db.password')}"]
    assert base64.b64decode(secret["data"]["content"]).decode() == SECRET_TEXT  # the cluster gets the real value
    assert resources["configmap/web"]["data"] == {"FEATURE_X": "on", "LOG_LEVEL": "debug"}


def test_a_sealed_secret_file_is_refused() -> None:
    config = minimal() | {"config_files": [{"path": "/s", "sealed_content": "xyz", "is_secret": True}]}
    with pytest.raises(ValueError, match="sealed"):
        render_objects(target(), config)


def test_a_registry_login_makes_a_pull_secret_on_a_cluster_that_creates_them() -> None:
    pulled = replace(target(), pull_login=PullLogin("ghcr.io", RegistryCredentials("robot", SECRET_TEXT)))
    assert "secret/web-pull-secret" not in by_key(render_objects(pulled, every_feature(), TLS))
    creating = replace(TLS, create_pull_secrets=True)
    resources = by_key(render_objects(pulled, every_feature(), creating))
    secret = resources["secret/web-pull-secret"]
    for item in (secret, resources["capsule/web"], resources["deployment/web"], resources["cronjob/web-cleanup"]):
        validate(item)
    assert secret["type"] == "kubernetes.io/dockerconfigjson"
    assert json.loads(base64.b64decode(secret["data"][".dockerconfigjson"])) == {"auths": {"ghcr.io": {
        "username": "robot", "password": SECRET_TEXT, "auth": b64(f"robot:{SECRET_TEXT}")}}}
    assert resources["capsule/web"]["metadata"]["annotations"]["rig.dev/pull-secret"] == "web-pull-secret"
    pulling = {"name": "web-pull-secret"}
    assert resources["deployment/web"]["spec"]["template"]["spec"]["imagePullSecrets"] == [pulling]
    job_pod = resources["cronjob/web-cleanup"]["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert job_pod["imagePullSecrets"] == [pulling]  # a command job runs the capsule's image too
    hub = replace(target(), pull_login=PullLogin("index.docker.io", RegistryCredentials("me", "pw", "me@x.io")))
    hub_secret = by_key(render_objects(hub, minimal(), creating))["secret/web-pull-secret"]
    assert list(json.loads(base64.b64decode(hub_secret["data"][".dockerconfigjson"]))["auths"]) == [
        "https://index.docker.io/v1/"]
    shown = "".join(KubernetesRenderer(creating).resource_yaml(pulled, every_feature(), None).values())
    assert "secret/web-pull-secret" in shown and SECRET_TEXT not in shown
    assert b64(f"robot:{SECRET_TEXT}") not in shown and secret["data"][".dockerconfigjson"] not in shown


def test_a_dry_run_answers_the_platforms_objects_and_shows_every_change_as_comments() -> None:
    """rig-ops decodes every entry of a dry run as an object and takes the operator's objects from
    the operator: the entries are the platform's objects only. The diff (of the operator's objects
    too) opens the Capsule's entry as comments, which decoders skip."""
    renderer = KubernetesRenderer(TLS)
    first = renderer.resource_yaml(target(0), every_feature(), None)
    decoded = {name: yaml.safe_load(text) for name, text in first.items()}
    assert {name: document["kind"] for name, document in decoded.items()} == {
        "capsule/web": "Capsule", "configmap/web": "ConfigMap",
        f"configmap/{file_object_name('web', '/etc/shop/config.yaml')}": "ConfigMap",
        f"secret/{file_object_name('web', '/run/secrets/db.password')}": "Secret"}
    header, *rest = first["capsule/web"].splitlines()
    assert header == "# rigd.dev/diff: no rollout is current here: every object is new"
    assert "# +  ingressClassName: nginx" in rest  # the operator's objects, with the renderer's options
    assert SECRET_TEXT not in first["capsule/web"]
    quieter = every_feature()
    quieter["container_settings"]["environment_variables"]["LOG_LEVEL"] = "info"
    changed = renderer.resource_yaml(target(8), quieter, (target(7), every_feature()))["capsule/web"].splitlines()
    assert changed[0] == "# rigd.dev/diff: what rollout 8 changes against rollout 7"
    assert {"# -  LOG_LEVEL: debug", "# +  LOG_LEVEL: info"} <= set(changed)
    same = renderer.resource_yaml(target(7), every_feature(), (target(7), every_feature()))
    assert same["capsule/web"].startswith("# rigd.dev/diff: what rollout 7 changes against rollout 7: nothing\n")


SLICES: dict[str, dict[str, Any]] = {
    "load balancer only": {"network": {"interfaces": [
        {"name": "tcp", "port": 5432, "public": {"enabled": True, "method": {"load_balancer": {"port": 5432}}}}]}},
    "route without host": {"network": {"interfaces": [
        {"name": "http", "port": 80, "routes": [{"id": "any", "paths": [{"path": "/x"}]}]}]}},
    "public disabled": {"network": {"interfaces": [
        {"name": "http", "port": 80, "public": {"enabled": False, "method": {"ingress": {"host": "a.example.com"}}}}]}},
    "object metric only": {"replicas": 1, "horizontal_scale": {"max_replicas": 4, "custom_metrics": [
        {"object": {"metric_name": "m", "average_value": "1500m",
                    "object_reference": {"kind": "Ingress", "name": "i", "api_version": "networking.k8s.io/v1"}}}]}},
    "url job without parameters": {"cron_jobs": [
        {"job_name": "tick", "schedule": "@hourly", "url": {"port": 80, "path": "tick"}}]},
    "command job without arguments": {"cron_jobs": [
        {"job_name": "once", "schedule": "0 0 1 1 *", "timeout": "1.5s", "command": {"command": "/bin/true"}}]},
    "binary plain file": {"config_files": [{"path": "/data/blob.bin", "content": "AAH/+g=="}]},
    "url-safe base64 secret": {"config_files": [{"path": "/s/key", "content": "__8-", "is_secret": True}]},
    "limits only": {"container_settings": {"resources": {
        "limits": {"cpu_millis": 4000, "memory_bytes": "8000000000"}}}},
    "enum numbers": {"container_settings": {
                         "environment_sources": [{"name": "cm", "kind": 1}, {"name": "s", "kind": 2}]},
                     "network": {"interfaces": [{"name": "http", "port": 80, "routes": [
                         {"id": "r", "host": "h.example.com", "paths": [{"path": "/e", "match": 2}]}]}]}},
    "zero replicas": {"replicas": 0},
}


@pytest.mark.parametrize("name", list(SLICES))
def test_each_feature_alone_renders_valid_objects(name: str) -> None:
    resources = render_objects(target(), minimal() | SLICES[name], TLS)
    for resource in resources:
        validate(resource)


def test_the_feature_slices_render_what_they_say() -> None:
    def render(name: str) -> dict[str, dict[str, Any]]:
        return by_key(render_objects(target(), minimal() | SLICES[name], TLS))

    assert "service/web-lb" in render("load balancer only") and "ingress/web-public" not in render("public disabled")
    assert "host" not in render("route without host")["ingress/web-any"]["spec"]["rules"][0]
    assert render("object metric only")["horizontalpodautoscaler/web"]["spec"]["metrics"][0]["object"]["target"] == {
        "type": "AverageValue", "averageValue": "1500m"}
    tick = render("url job without parameters")["cronjob/web-tick"]["spec"]["jobTemplate"]["spec"]
    assert tick["template"]["spec"]["containers"][0]["command"][-1] == "http://web:80/tick"
    assert "backoffLimit" not in tick and "activeDeadlineSeconds" not in tick
    once = render("command job without arguments")["cronjob/web-once"]["spec"]["jobTemplate"]["spec"]
    assert once["activeDeadlineSeconds"] == 2 and "args" not in once["template"]["spec"]["containers"][0]
    blob = render("binary plain file")[f"configmap/{file_object_name('web', '/data/blob.bin')}"]
    assert blob["binaryData"] == {"content": "AAH/+g=="} and "data" not in blob
    key = render("url-safe base64 secret")[f"secret/{file_object_name('web', '/s/key')}"]
    assert base64.b64decode(key["data"]["content"]) == b"\xff\xff\x3e"
    limits = render("limits only")["deployment/web"]["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert limits["requests"] == {"cpu": "200m", "memory": "512000000"}
    numbers = render("enum numbers")
    assert numbers["deployment/web"]["spec"]["template"]["spec"]["containers"][0]["envFrom"][:2] == [
        {"configMapRef": {"name": "cm"}}, {"secretRef": {"name": "s"}}]
    assert numbers["ingress/web-r"]["spec"]["rules"][0]["http"]["paths"][0]["pathType"] == "Exact"
    assert render("zero replicas")["deployment/web"]["spec"]["replicas"] == 0


def test_the_longest_names_stay_valid() -> None:
    capsule = "c" + "a" * 62
    config = every_feature()
    config["cron_jobs"] = []
    resources = render_objects(RenderTarget("shop", "prod", capsule, "shop-prod", 1), config, TLS)
    for resource in resources:
        validate(resource)
        assert len(resource["metadata"]["name"]) <= 63 or resource["kind"] == "Ingress"
    volumes = by_key(resources)[f"deployment/{capsule}"]["spec"]["template"]["spec"]["volumes"]
    assert all(len(volume["name"]) <= 63 for volume in volumes)


def test_a_capsule_without_an_image_gets_only_the_platforms_objects() -> None:
    assert list(by_key(render_objects(target(), {"replicas": 1}))) == ["capsule/web", "configmap/web"]


def test_rendering_is_deterministic_and_leaves_the_config_alone() -> None:
    config = every_feature()
    first = render_objects(target(), config, TLS)
    assert config == every_feature()
    assert render_objects(target(), every_feature(), TLS) == first
