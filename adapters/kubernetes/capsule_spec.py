"""The `spec` of the `Capsule` custom resource (`rig.dev/v1alpha2`) from a rollout config.

Fields at their default are left out, as the operator's Go types do (`omitempty`). The
operator-side builders read this spec, not the config, so what they derive is what the
operator would derive from the Capsule the platform writes."""

from __future__ import annotations

from typing import Any

from rigd.adapters.kubernetes.documents import (
    Document,
    duration_seconds,
    enum,
    flag,
    integer,
    items,
    section,
    string_map,
    text,
    texts,
)
from rigd.adapters.kubernetes.metadata import FILE_KEY, file_object_name
from rigd.domain.rollout_config import Config

PATH_MATCH_TYPES = ("PATH_MATCH_TYPE_UNSPECIFIED", "PATH_MATCH_TYPE_PATH_PREFIX", "PATH_MATCH_TYPE_EXACT")
SOURCE_KINDS = ("KIND_UNSPECIFIED", "KIND_CONFIG_MAP", "KIND_SECRET")
_SOURCE_KIND = {"KIND_CONFIG_MAP": "ConfigMap", "KIND_SECRET": "Secret"}


def capsule_spec(capsule: str, config: Config) -> dict[str, Any]:
    settings = section(config, "container_settings")
    spec: dict[str, Any] = {"image": text(config, "image_id")}
    if text(settings, "command"):
        spec["command"] = text(settings, "command")
    if texts(settings, "args"):
        spec["args"] = texts(settings, "args")
    interfaces = [_interface(item) for item in items(section(config, "network"), "interfaces")]
    if interfaces:
        spec["interfaces"] = interfaces
    sources = [_environment_source(item) for item in items(settings, "environment_sources")]
    if sources:
        spec["env"] = {"from": sources}
    files = [file_reference(capsule, item) for item in items(config, "config_files")]
    if files:
        spec["files"] = files
    spec["scale"] = _scale(config)
    jobs = [_cron_job(item) for item in items(config, "cron_jobs")]
    if jobs:
        spec["cronJobs"] = jobs
    return spec


def file_reference(capsule: str, file: Document) -> dict[str, Any]:
    """`spec.files[]`: the path and the ConfigMap or Secret (key `content`) that holds it."""
    path = text(file, "path")
    kind = "Secret" if flag(file, "is_secret") else "ConfigMap"
    return {"path": path, "ref": {"kind": kind, "name": file_object_name(capsule, path), "key": FILE_KEY}}


def _environment_source(source: Document) -> dict[str, str]:
    kind = enum(source, "kind", SOURCE_KINDS)
    return {"kind": _SOURCE_KIND.get(kind, kind), "name": text(source, "name")}


def _interface(interface: Document) -> dict[str, Any]:
    result: dict[str, Any] = {"name": text(interface, "name"), "port": integer(interface, "port")}
    for probe in ("liveness", "readiness"):
        if probe in interface:
            result[probe] = _probe(section(interface, probe))
    public = _public(section(interface, "public"))
    if public:
        result["public"] = public
    routes = [_route(route) for route in items(interface, "routes")]
    if routes:
        result["routes"] = routes
    return result


def _probe(probe: Document) -> dict[str, Any]:
    if "grpc" in probe:
        return {"grpc": {"service": text(section(probe, "grpc"), "service")}}
    if "tcp" in probe:
        return {"tcp": True}
    return {"path": text(section(probe, "http"), "path") or "/"}


def _public(public: Document) -> dict[str, Any]:
    if not flag(public, "enabled"):
        return {}
    method = section(public, "method")
    if "load_balancer" in method:
        balancer = section(method, "load_balancer")
        # (the Capsule CRD's loadBalancer has only `port`: a node port of the config is not rendered)
        return {"loadBalancer": {"port": integer(balancer, "port")}}
    if "ingress" in method:
        ingress = section(method, "ingress")
        result: dict[str, Any] = {"host": text(ingress, "host")}
        if texts(ingress, "paths"):
            result["paths"] = texts(ingress, "paths")
        return {"ingress": result}
    return {}


def _route(route: Document) -> dict[str, Any]:
    result: dict[str, Any] = {"id": text(route, "id"), "host": text(route, "host")}
    paths = []
    for path in items(route, "paths"):
        match = enum(path, "match", PATH_MATCH_TYPES)
        paths.append({"path": text(path, "path"),
                      "match": "Exact" if match == "PATH_MATCH_TYPE_EXACT" else "PathPrefix"})
    if paths:
        result["paths"] = paths
    annotations = string_map(section(route, "options"), "annotations")
    if annotations:
        result["annotations"] = annotations
    return result


def _scale(config: Config) -> dict[str, Any]:
    """Instances: min = max(replicas, min_replicas); max only with a metric to scale on
    (Rig's HorizontalScaleConversion), so that the operator makes an HPA only then."""
    horizontal = section(config, "horizontal_scale")
    instances: dict[str, int] = {"min": max(integer(config, "replicas"), integer(horizontal, "min_replicas"))}
    result: dict[str, Any] = {"instances": instances}
    utilization = integer(section(horizontal, "cpu_target"), "average_utilization_percentage")
    if utilization:
        result["cpuTarget"] = {"utilization": utilization}
    metrics = [_custom_metric(metric) for metric in items(horizontal, "custom_metrics")]
    metrics = [metric for metric in metrics if metric]
    if metrics:
        result["customMetrics"] = metrics
    if integer(horizontal, "max_replicas") and (utilization or metrics):
        instances["max"] = integer(horizontal, "max_replicas")
    scale: dict[str, Any] = {"horizontal": result}
    vertical = _vertical(section(section(config, "container_settings"), "resources"))
    if vertical:
        scale["vertical"] = vertical
    return scale


def _custom_metric(metric: Document) -> dict[str, Any]:
    if "instance" in metric:
        instance = section(metric, "instance")
        result: dict[str, Any] = {"metricName": text(instance, "metric_name")}
        if string_map(instance, "match_labels"):
            result["matchLabels"] = string_map(instance, "match_labels")
        result["averageValue"] = text(instance, "average_value")
        return {"instanceMetric": result}
    if "object" in metric:
        target = section(metric, "object")
        result = {"metricName": text(target, "metric_name")}
        if string_map(target, "match_labels"):
            result["matchLabels"] = string_map(target, "match_labels")
        if text(target, "average_value"):
            result["averageValue"] = text(target, "average_value")
        if text(target, "value"):
            result["value"] = text(target, "value")
        reference = section(target, "object_reference")
        result["objectReference"] = {"apiVersion": text(reference, "api_version"),
                                     "kind": text(reference, "kind"), "name": text(reference, "name")}
        return {"objectMetric": result}
    return {}


def _vertical(resources: Document) -> dict[str, Any]:
    """CPU as milli-CPU quantities ("250m"), memory in bytes ("512000000"), GPUs as a count."""
    requests, limits = section(resources, "requests"), section(resources, "limits")
    result: dict[str, Any] = {}
    for name, field, unit in (("cpu", "cpu_millis", "m"), ("memory", "memory_bytes", "")):
        quantities = {kind: f"{integer(values, field)}{unit}"
                      for kind, values in (("request", requests), ("limit", limits)) if integer(values, field)}
        if quantities:
            result[name] = quantities
    gpus = integer(section(resources, "gpu_limits"), "count")
    if gpus:
        result["gpu"] = {"request": str(gpus)}
    return result


def _cron_job(job: Document) -> dict[str, Any]:
    result: dict[str, Any] = {"name": text(job, "job_name"), "schedule": text(job, "schedule")}
    if "url" in job:
        url = section(job, "url")
        result["url"] = {"port": integer(url, "port"), "path": text(url, "path")}
        if string_map(url, "query_parameters"):
            result["url"]["queryParameters"] = string_map(url, "query_parameters")
    else:
        command = section(job, "command")
        result["command"] = {"command": text(command, "command")}
        if texts(command, "args"):
            result["command"]["args"] = texts(command, "args")
    if integer(job, "max_retries"):
        result["maxRetries"] = integer(job, "max_retries")
    if duration_seconds(job, "timeout"):
        result["timeoutSeconds"] = duration_seconds(job, "timeout")
    return result
