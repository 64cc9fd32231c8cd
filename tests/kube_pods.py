"""Complete pods and Jobs as a cluster reports them, for the Kubernetes driver's tests: made
from the rendered Deployment's pod template (so labels and annotations are the real ones),
with the status a kubelet would write for each situation."""

from __future__ import annotations

import copy
from typing import Any

NAMESPACE = "shop-prod"
REPLICA_SET = "web-5d8f7c9b6d"
STARTED = "2026-01-02T03:04:10Z"


def pod_path(name: str, namespace: str = NAMESPACE) -> str:
    return f"/api/v1/namespaces/{namespace}/pods/{name}"


def job_path(name: str, namespace: str = NAMESPACE) -> str:
    return f"/apis/batch/v1/namespaces/{namespace}/jobs/{name}"


def pod(deployment: dict[str, Any], suffix: str, container_status: dict[str, Any], *, phase: str = "Running",
        node: str = "node-1", created: str = "2026-01-02T03:04:06Z", **meta: Any) -> dict[str, Any]:
    template = copy.deepcopy(deployment["spec"]["template"])
    spec = template["spec"]
    if node:
        spec["nodeName"] = node
    name = f"{REPLICA_SET}-{suffix}"
    scheduled = {"type": "PodScheduled", "status": "True" if node else "False"}
    if not node:
        scheduled.update(reason="Unschedulable", message="0/3 nodes are available: 3 Insufficient cpu.")
    main = {"name": "web", "image": spec["containers"][0]["image"], "restartCount": 0, "ready": False,
            **container_status}
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "generateName": f"{REPLICA_SET}-", "namespace": NAMESPACE, "uid": f"uid-{suffix}",
                     "creationTimestamp": created, "labels": template["metadata"]["labels"],
                     "annotations": template["metadata"]["annotations"], **meta,
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": REPLICA_SET,
                                          "uid": "uid-rs", "controller": True}]},
        "spec": spec,
        "status": {"phase": phase, "conditions": [scheduled], "containerStatuses": [main] if node else []},
    }


def running(ready: bool = True, restarts: int = 0) -> dict[str, Any]:
    return {"ready": ready, "restartCount": restarts, "imageID": "docker.io/library/nginx@sha256:" + "a" * 64,
            "state": {"running": {"startedAt": STARTED}}}


def crash_looping(restarts: int = 4) -> dict[str, Any]:
    return {"restartCount": restarts, "imageID": "docker.io/library/nginx@sha256:" + "a" * 64,
            "state": {"waiting": {"reason": "CrashLoopBackOff",
                                  "message": "back-off 40s restarting failed container=web"}},
            "lastState": {"terminated": {"exitCode": 2, "reason": "Error", "startedAt": "2026-01-02T03:05:00Z",
                                         "finishedAt": "2026-01-02T03:05:01Z", "containerID": "containerd://c1"}}}


def pulling_failed(reason: str = "ImagePullBackOff") -> dict[str, Any]:
    return {"state": {"waiting": {"reason": reason, "message": 'Back-off pulling image "nginx"'}}}


def job(name: str, cron_job: str, rollout: str, status: dict[str, Any], *, created: str,
        owner: str = "") -> dict[str, Any]:
    owners = [{"apiVersion": "batch/v1", "kind": "CronJob", "name": owner or f"web-{cron_job}", "uid": "uid-cron",
               "controller": True}]
    return {
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": name, "namespace": NAMESPACE, "creationTimestamp": created,
                     "labels": {"rig.dev/capsule": "web", "batch.kubernets.io/cronjob": cron_job},
                     "annotations": {"rig.dev/rollout": rollout},
                     "ownerReferences": owners},
        "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx"}], "restartPolicy": "Never"}}},
        "status": status,
    }
