"""Resource and custom metrics of a capsule's pods and of other objects.

- Resource metrics come from `metrics.k8s.io/v1beta1` PodMetrics (metrics-server). Its CPU
  usage is a rate (cores averaged over the scrape window), not CPU time used so far; it is
  reported in `cpu_ms` as millicores, the unit Rig's platform reported too.
- Custom metrics come from `custom.metrics.k8s.io/v1beta2` (a metrics adapter such as
  prometheus-adapter): its discovery names the metrics it serves per resource
  (`pods/<metric>`, `services/<metric>`, `deployments.apps/<metric>`); a capsule's metric is
  averaged over its pods, with the latest sample's time.

A cluster without the API (404) has no metrics: the answer is empty, not an error."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from kubernetes.utils import parse_quantity

from rigd.adapters.kubernetes.cluster_api import KubeApi, Resource, label_selector
from rigd.adapters.kubernetes.metadata import CAPSULE_LABEL
from rigd.adapters.kubernetes.pods import timestamp
from rigd.domain.cluster_driver import CapsulePlace, CustomMetric, InstanceMetrics, ObjectReference

RESOURCE_METRICS = "/apis/metrics.k8s.io/v1beta1"
CUSTOM_METRICS = "/apis/custom.metrics.k8s.io/v1beta2"


def pod_metrics(api: KubeApi, place: CapsulePlace, instance_id: str | None) -> list[InstanceMetrics]:
    base = f"{RESOURCE_METRICS}/namespaces/{place.namespace}/pods"
    if instance_id is None:
        items = api.items(base, [("labelSelector", label_selector({CAPSULE_LABEL: place.capsule_id}))])
    else:
        found = api.get_or_none(f"{base}/{instance_id}")
        items = [found] if found else []
    return [_instance_metrics(item, place.capsule_id) for item in items]


def _instance_metrics(item: dict[str, Any], capsule: str) -> InstanceMetrics:
    containers = item.get("containers") or [{}]
    main = next((c for c in containers if c.get("name") == capsule), containers[0])
    usage = main.get("usage") or {}
    cpu = parse_quantity(usage.get("cpu", "0"))
    memory = parse_quantity(usage.get("memory", "0"))
    return InstanceMetrics(
        instance_id=str(item["metadata"]["name"]),
        timestamp=timestamp(item.get("timestamp")) or datetime.now(UTC),
        cpu_ms=int(cpu * 1000),
        memory_bytes=int(memory),
    )


def capsule_custom_metrics(api: KubeApi, place: CapsulePlace) -> list[CustomMetric]:
    names = _served_metrics(api, "pods")
    selector = [("labelSelector", label_selector({CAPSULE_LABEL: place.capsule_id}))]
    result = []
    for name in names:
        samples = api.items(f"{CUSTOM_METRICS}/namespaces/{place.namespace}/pods/*/{name}", selector)
        if samples:
            result.append(_averaged(name, samples))
    return result


def object_custom_metrics(api: KubeApi, namespace: str, reference: ObjectReference) -> list[CustomMetric]:
    resource = api.resource(reference.api_version or "v1", reference.kind)
    prefix = _resource_name(resource)
    result = []
    for name in _served_metrics(api, prefix):
        path = f"{CUSTOM_METRICS}/namespaces/{namespace}/{prefix}/{reference.name}/{name}"
        samples = api.items(path)
        if samples:
            result.append(_averaged(name, samples))
    return result


def _resource_name(resource: Resource) -> str:
    """The custom metrics API names resources `<plural>` (core) or `<plural>.<group>`."""
    return f"{resource.plural}.{resource.group}" if resource.group else resource.plural


def _served_metrics(api: KubeApi, resource_name: str) -> list[str]:
    listing = api.get_or_none(CUSTOM_METRICS) or {}
    prefix = f"{resource_name}/"
    return sorted({entry["name"][len(prefix):] for entry in listing.get("resources", [])
                   if str(entry.get("name", "")).startswith(prefix)})


def _averaged(name: str, samples: list[dict[str, Any]]) -> CustomMetric:
    values = [Decimal(parse_quantity(sample.get("value", "0"))) for sample in samples]
    times = [t for t in (timestamp(sample.get("timestamp")) for sample in samples) if t is not None]
    average = sum(values, Decimal(0)) / len(values)
    return CustomMetric(name, float(average), max(times) if times else datetime.now(UTC))
