"""The operator's cron jobs step (section 5.8): one CronJob `<capsule>-<job>` per job.

A command job runs the capsule's own pod (the Deployment's template) with the job's command
and arguments; its probes are dropped, since a one-off command serves no interface. A URL job
runs curl against the capsule's Service: `curl -G --fail-with-body [-d k=v ...]
http://<capsule>:<port><path>`, keys and values escaped as a URL's query. Retries are the
Job's `backoffLimit`, the timeout its `activeDeadlineSeconds`; both are left to Kubernetes'
defaults when not set."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote_plus

from rigd.adapters.kubernetes.deployment import ConfigObjects, pod_template
from rigd.adapters.kubernetes.metadata import (
    CAPSULE_LABEL,
    CRONJOB_LABEL,
    ROLLOUT_ANNOTATION,
    metadata,
    owned_labels,
)

CURL_IMAGE = "quay.io/curl/curl:latest"


def cron_jobs(capsule_resource: dict[str, Any], config_objects: ConfigObjects) -> list[dict[str, Any]]:
    jobs = capsule_resource["spec"].get("cronJobs", [])
    template = pod_template(capsule_resource, config_objects) if jobs else {}
    return [_cron_job(capsule_resource, job, template) for job in jobs]


def _cron_job(capsule_resource: dict[str, Any], job: dict[str, Any], deployment_pod: dict[str, Any]) -> dict[str, Any]:
    capsule, namespace = capsule_resource["metadata"]["name"], capsule_resource["metadata"]["namespace"]
    name = f"{capsule}-{job['name']}"
    rollout = {ROLLOUT_ANNOTATION: capsule_resource["metadata"].get("annotations", {}).get(ROLLOUT_ANNOTATION, "")}
    labels = {**owned_labels(capsule), CRONJOB_LABEL: job["name"]}
    pod = _command_pod(deployment_pod, job["command"]) if "command" in job else _url_pod(capsule, name, job["url"])
    # Not `rig.dev/capsule`: the capsule's Service selects pods by it, and must not send
    # requests to a job's pod (nor may a job's pod count as an instance of the capsule).
    pod["metadata"]["labels"] = {CRONJOB_LABEL: job["name"]}
    pod["metadata"]["annotations"] = {**pod["metadata"].get("annotations", {}), **rollout}
    job_spec: dict[str, Any] = {}
    if "maxRetries" in job:
        job_spec["backoffLimit"] = job["maxRetries"]
    if "timeoutSeconds" in job:
        job_spec["activeDeadlineSeconds"] = job["timeoutSeconds"]
    job_spec["template"] = pod
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": metadata(name, namespace, labels, rollout),
        "spec": {
            "schedule": job["schedule"],
            "jobTemplate": {
                "metadata": {"labels": {CAPSULE_LABEL: capsule, CRONJOB_LABEL: job["name"]}, "annotations": rollout},
                "spec": job_spec,
            },
        },
    }


def _command_pod(deployment_pod: dict[str, Any], command: dict[str, Any]) -> dict[str, Any]:
    pod = copy.deepcopy(deployment_pod)
    container = pod["spec"]["containers"][0]
    container.pop("command", None)
    container.pop("args", None)
    for probe in ("livenessProbe", "readinessProbe"):
        container.pop(probe, None)
    updated = {"command": [command["command"]]} if command.get("command") else {}
    if command.get("args"):
        updated["args"] = list(command["args"])
    # keep the container's field order readable: name, image, command, args, the rest
    pod["spec"]["containers"][0] = {"name": container.pop("name"), "image": container.pop("image"),
                                    **updated, **container}
    pod["spec"]["restartPolicy"] = "Never"
    return pod


def _url_pod(capsule: str, name: str, url: dict[str, Any]) -> dict[str, Any]:
    arguments = ["curl", "-G", "--fail-with-body"]
    for key, value in url.get("queryParameters", {}).items():
        arguments += ["-d", f"{quote_plus(key, safe='')}={quote_plus(value, safe='')}"]  # as a URL's query
    path = url.get("path", "")
    if path and not path.startswith("/"):
        path = f"/{path}"
    arguments.append(f"http://{capsule}:{url['port']}{path}")
    container = {"name": name, "image": CURL_IMAGE, "command": arguments}
    return {"metadata": {}, "spec": {"containers": [container], "restartPolicy": "Never"}}
