"""The operator's HorizontalPodAutoscaler `<capsule>` (section 5.5), made only when the
minimum is above zero, a maximum is set and there is at least one metric to scale on."""

from __future__ import annotations

from typing import Any

from rigd.adapters.kubernetes.metadata import metadata, owned_labels


def horizontal_pod_autoscaler(capsule_resource: dict[str, Any]) -> dict[str, Any] | None:
    horizontal = capsule_resource["spec"]["scale"]["horizontal"]
    instances = horizontal["instances"]
    metrics = _metrics(horizontal)
    if instances["min"] <= 0 or "max" not in instances or not metrics:
        return None
    name, namespace = capsule_resource["metadata"]["name"], capsule_resource["metadata"]["namespace"]
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": metadata(name, namespace, owned_labels(name)),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "minReplicas": instances["min"],
            "maxReplicas": instances["max"],
            "metrics": metrics,
        },
    }


def _metrics(horizontal: dict[str, Any]) -> list[dict[str, Any]]:
    """CPU utilization first, then the custom metrics in order: instance metrics as Pods
    metrics (average value), object metrics as Object metrics (value or average value)."""
    metrics: list[dict[str, Any]] = []
    if "cpuTarget" in horizontal:
        target = {"type": "Utilization", "averageUtilization": horizontal["cpuTarget"]["utilization"]}
        metrics.append({"type": "Resource", "resource": {"name": "cpu", "target": target}})
    for custom in horizontal.get("customMetrics", []):
        if "instanceMetric" in custom:
            instance = custom["instanceMetric"]
            metrics.append({"type": "Pods", "pods": {
                "metric": _metric(instance),
                "target": {"type": "AverageValue", "averageValue": instance["averageValue"]},
            }})
        elif "objectMetric" in custom:
            target = custom["objectMetric"]
            value = ({"type": "Value", "value": target["value"]} if target.get("value")
                     else {"type": "AverageValue", "averageValue": target.get("averageValue", "")})
            metrics.append({"type": "Object", "object": {
                "describedObject": dict(target["objectReference"]),
                "metric": _metric(target),
                "target": value,
            }})
    return metrics


def _metric(source: dict[str, Any]) -> dict[str, Any]:
    metric: dict[str, Any] = {"name": source["metricName"]}
    if source.get("matchLabels"):
        metric["selector"] = {"matchLabels": dict(source["matchLabels"])}
    return metric
