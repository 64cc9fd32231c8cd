"""The operator's service-account and deployment steps (sections 5.3, 5.4): the ServiceAccount
and the Deployment `<capsule>`, and the pod template the command cron jobs reuse.

What depends on the cluster's state rather than on the rollout is left out: the automatic
Secret `<capsule>` and the namespace's `rig.dev/shared-config` ConfigMaps/Secrets in `envFrom`
(the operator adds them only when they exist), their checksums, and image pull secrets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rigd.adapters.kubernetes.metadata import (
    AUTO_ENV_CHECKSUM_ANNOTATION,
    FILES_CHECKSUM_ANNOTATION,
    PULL_SECRET_ANNOTATION,
    ROLLOUT_ANNOTATION,
    SHARED_CONFIG_LABEL,
    SHARED_ENV_CHECKSUM_ANNOTATION,
    checksum,
    metadata,
    owned_labels,
    pod_selector,
    volume_name,
)
from rigd.adapters.kubernetes.network import container_ports, probes

DEFAULT_CPU_REQUEST_MILLIS = 200
DEFAULT_MEMORY_REQUEST_BYTES = 512_000_000
GPU_RESOURCE = "nvidia.com/gpu"  # the operator's only GPU resource name (v1alpha2 holds a count, no type)

ConfigObjects = Mapping[tuple[str, str], dict[str, Any]]
"""The ConfigMaps and Secrets by (kind, name) that the operator reads for env and checksums: the
platform's, and those the driver read of the namespace (the automatic Secret `<capsule>`, the
shared config)."""


def service_account(capsule_resource: dict[str, Any]) -> dict[str, Any]:
    name, namespace = capsule_resource["metadata"]["name"], capsule_resource["metadata"]["namespace"]
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata(name, namespace, owned_labels(name))}


def deployment(capsule_resource: dict[str, Any], config_objects: ConfigObjects,
               autoscaled: bool) -> dict[str, Any]:
    """Replicas = the minimum instances; with an HPA the field is left out, so that applying
    the Deployment keeps the count the HPA chose."""
    name, namespace = capsule_resource["metadata"]["name"], capsule_resource["metadata"]["namespace"]
    spec: dict[str, Any] = {}
    if not autoscaled:
        spec["replicas"] = capsule_resource["spec"]["scale"]["horizontal"]["instances"]["min"]
    spec["selector"] = {"matchLabels": pod_selector(name)}
    spec["template"] = pod_template(capsule_resource, config_objects)
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata(name, namespace, owned_labels(name)),
            "spec": spec}


def pod_template(capsule_resource: dict[str, Any], config_objects: ConfigObjects) -> dict[str, Any]:
    name = capsule_resource["metadata"]["name"]
    spec = capsule_resource["spec"]
    files = spec.get("files", [])
    pod: dict[str, Any] = {"serviceAccountName": name, "containers": [_container(name, spec, files, config_objects)]}
    if files:
        pod["volumes"] = [_volume(file) for file in files]
    pull_secret = capsule_resource["metadata"].get("annotations", {}).get(PULL_SECRET_ANNOTATION)
    if pull_secret:
        pod["imagePullSecrets"] = [{"name": pull_secret}]
    annotations = pod_annotations(capsule_resource, config_objects)
    return {"metadata": {"labels": pod_selector(name), "annotations": annotations}, "spec": pod}


def pod_annotations(capsule_resource: dict[str, Any], config_objects: ConfigObjects) -> dict[str, str]:
    """`rig.dev/rollout` from the Capsule, and checksums of the config the pods read, so that a
    changed file or variable restarts them."""
    meta = capsule_resource["metadata"]
    annotations = {ROLLOUT_ANNOTATION: meta.get("annotations", {}).get(ROLLOUT_ANNOTATION, "")}
    environment = config_objects.get(("ConfigMap", meta["name"]))
    if environment is not None:
        automatic_secret = config_objects.get(("Secret", meta["name"]))
        parts = [environment.get("data", {})] + ([] if automatic_secret is None else [automatic_secret.get("data", {})])
        annotations[AUTO_ENV_CHECKSUM_ANNOTATION] = checksum(parts)
    shared = _shared(config_objects)
    if shared:
        annotations[SHARED_ENV_CHECKSUM_ANNOTATION] = checksum([config_objects[key].get("data", {}) for key in shared])
    files = capsule_resource["spec"].get("files", [])
    if files:
        annotations[FILES_CHECKSUM_ANNOTATION] = checksum([_file_data(file, config_objects) for file in files])
    return dict(sorted(annotations.items()))


def _file_data(file: dict[str, Any], config_objects: ConfigObjects) -> list[str]:
    ref = file["ref"]
    found = config_objects.get((ref["kind"], ref["name"]), {})
    value = found.get("data", {}).get(ref["key"], found.get("binaryData", {}).get(ref["key"], ""))
    return [file["path"], ref["kind"], ref["name"], ref["key"], value]


def _container(name: str, spec: dict[str, Any], files: list[dict[str, Any]],
               config_objects: ConfigObjects) -> dict[str, Any]:
    container: dict[str, Any] = {"name": name, "image": spec["image"]}
    if spec.get("command"):
        container["command"] = [spec["command"]]
    if spec.get("args"):
        container["args"] = list(spec["args"])
    container["env"] = [{"name": "RIG_CAPSULE_NAME", "value": name}]
    container["envFrom"] = _env_from(name, spec, config_objects)
    ports = container_ports(spec)
    if ports:
        container["ports"] = ports
    container.update(probes(spec))
    container["resources"] = resources(spec["scale"].get("vertical", {}))
    if files:
        container["volumeMounts"] = [
            {"name": volume_name(file["ref"]["kind"], file["ref"]["name"]), "mountPath": file["path"],
             "subPath": _basename(file["path"]), "readOnly": True}
            for file in files
        ]
    return container


def _env_from(name: str, spec: dict[str, Any], config_objects: ConfigObjects) -> list[dict[str, Any]]:
    """The Capsule's own sources in order, then the automatic ConfigMap `<capsule>` and Secret
    `<capsule>` (when the namespace has it), then the namespace's shared ConfigMaps and Secrets."""
    sources = [*spec.get("env", {}).get("from", []), {"kind": "ConfigMap", "name": name}]
    if ("Secret", name) in config_objects:
        sources.append({"kind": "Secret", "name": name})
    sources += [{"kind": kind, "name": shared} for kind, shared in _shared(config_objects)]
    return [{"secretRef": {"name": source["name"]}} if source["kind"] == "Secret"
            else {"configMapRef": {"name": source["name"]}} for source in sources]


def _shared(config_objects: ConfigObjects) -> list[tuple[str, str]]:
    """The shared config (labelled `rig.dev/shared-config=true`): ConfigMaps, then Secrets, by name."""
    shared = [key for key, item in config_objects.items()
              if (item.get("metadata", {}).get("labels") or {}).get(SHARED_CONFIG_LABEL) == "true"]
    return sorted(shared, key=lambda key: (key[0] != "ConfigMap", key[1]))


def _volume(file: dict[str, Any]) -> dict[str, Any]:
    ref = file["ref"]
    projection = {"items": [{"key": ref["key"], "path": _basename(file["path"])}]}
    volume: dict[str, Any] = {"name": volume_name(ref["kind"], ref["name"])}
    if ref["kind"] == "Secret":
        volume["secret"] = {"secretName": ref["name"], **projection}
    else:
        volume["configMap"] = {"name": ref["name"], **projection}
    return volume


def _basename(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def resources(vertical: dict[str, Any]) -> dict[str, Any]:
    """Requests default to 200m CPU and 512000000 bytes of memory; limits only when set. A
    default request above a set limit is lowered to the limit (Kubernetes refuses a request
    above its limit). GPUs are requested and limited alike, as extended resources must be."""
    requests: dict[str, str] = {"cpu": f"{DEFAULT_CPU_REQUEST_MILLIS}m", "memory": str(DEFAULT_MEMORY_REQUEST_BYTES)}
    limits: dict[str, str] = {}
    for name in ("cpu", "memory"):
        given = vertical.get(name, {})
        if "limit" in given:
            limits[name] = given["limit"]
            if "request" not in given and _amount(requests[name]) > _amount(given["limit"]):
                requests[name] = given["limit"]
        if "request" in given:
            requests[name] = given["request"]
    if "gpu" in vertical:
        requests[GPU_RESOURCE] = limits[GPU_RESOURCE] = vertical["gpu"]["request"]
    result: dict[str, Any] = {"requests": requests}
    if limits:
        result["limits"] = limits
    return result


def _amount(quantity: str) -> float:
    """The quantities this renderer writes: milli-units ("250m") or plain integers."""
    return int(quantity[:-1]) / 1000 if quantity.endswith("m") else int(quantity)
