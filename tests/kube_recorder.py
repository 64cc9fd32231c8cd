"""A recording Kubernetes API server for the Kubernetes driver's tests: a real HTTP server on
127.0.0.1 (threaded `http.server`) that records every request (method, path, query, content
type, body) and answers as an API server does for the calls the driver makes, keeping objects
in memory so that apply, get, list and delete agree with each other (the HTTP side, logs that
follow and the exec upgrade are in tests/kube_http.py):

- discovery (`/api/v1`, `/apis/<group>/<version>`) for the kinds it serves;
- namespaces (get, create), and for every served kind in a namespace: get, list with a label
  selector (`k=v`, `k`, `!k`), server-side apply (`PATCH` with `application/apply-patch+yaml`
  and a `fieldManager`; the object validated strictly against Kubernetes 1.35's schemas, the
  Capsule against its structural schema, 422 otherwise; 403 for what a test's admission webhook
  denies; `dryRun=All` answers without storing; the `resourceVersion` moves only when the
  applied content changed) and delete;
- deleting a pod a ReplicaSet owns makes its replacement (as the ReplicaSet would);
- pod logs (scripted lines with timestamps; `previous`; `follow` holds the stream open until
  `end_logs()`), exec over a websocket (tests/kube_exec.py), PodMetrics of the pods with
  scripted usage, and custom metrics (`custom.metrics.k8s.io/v1beta2`) with scripted values.

Objects the test puts in (pods, Jobs) are complete, as a cluster would report them."""

from __future__ import annotations

import copy
import functools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate

from tests.kube_exec import PROTOCOLS
from tests.kube_http import TOKEN, Recorded, RecordingHandler, status

SERVED = {  # (group/version root) -> {plural: (kind, namespaced)}
    "/api/v1": {"namespaces": ("Namespace", False), "configmaps": ("ConfigMap", True),
                "secrets": ("Secret", True), "serviceaccounts": ("ServiceAccount", True),
                "services": ("Service", True), "pods": ("Pod", True)},
    "/apis/apps/v1": {"deployments": ("Deployment", True)},
    "/apis/autoscaling/v2": {"horizontalpodautoscalers": ("HorizontalPodAutoscaler", True)},
    "/apis/networking.k8s.io/v1": {"ingresses": ("Ingress", True)},
    "/apis/batch/v1": {"cronjobs": ("CronJob", True), "jobs": ("Job", True)},
    "/apis/rig.dev/v1alpha2": {"capsules": ("Capsule", True)},
}
NAMESPACED = re.compile(r"^(/api/v1|/apis/[^/]+/[^/]+)/namespaces/([^/]+)/([^/]+)(?:/([^/]+))?(?:/([^/]+))?$")
NOW = "2026-01-02T03:04:05Z"
KUBERNETES_VERSION = "1.35.0"
CAPSULE_SCHEMA = json.loads((Path(__file__).parent / "data" / "rendered" / "capsule-v1alpha2.schema.json").read_text())


def selects(selector: str, labels: dict[str, str]) -> bool:
    for term in filter(None, selector.split(",")):
        if term.startswith("!"):
            if term[1:] in labels:
                return False
        elif "=" in term:
            key, value = term.split("=", 1)
            if labels.get(key) != value:
                return False
        elif term not in labels:
            return False
    return True


@functools.lru_cache(maxsize=256)
def _schema_problem(text: str) -> str:
    """Why the object (as canonical JSON) is invalid, "" when it is valid. Cached: validating
    reads the schema files each time, and the driver sends each object twice (dry run, apply)."""
    body = json.loads(text)
    try:
        if body.get("kind") == "Capsule":
            jsonschema.validate(body, CAPSULE_SCHEMA)
        else:
            kubernetes_validate.validate(body, KUBERNETES_VERSION, strict=True)
    except (jsonschema.ValidationError, kubernetes_validate.ValidationError) as error:
        return str(error).splitlines()[0]
    return ""


@dataclass
class Cluster:
    """What the recorder holds: objects by path, scripted logs, usage and custom metrics."""

    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    applied: dict[str, Any] = field(default_factory=dict)  # what was last applied to each path
    logs: dict[tuple[str, bool], list[tuple[str, str]]] = field(default_factory=dict)
    usage: dict[str, tuple[str, str]] = field(default_factory=dict)  # pod -> (cpu, memory)
    custom: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # metric path -> samples
    custom_names: list[str] = field(default_factory=list)  # discovery: `pods/<metric>`, `services/<metric>`
    served: dict[str, dict[str, tuple[str, bool]]] = field(default_factory=lambda: copy.deepcopy(SERVED))
    resizes: list[dict[str, Any]] = field(default_factory=list)
    denied: dict[str, str] = field(default_factory=dict)  # item path -> why an admission webhook denies it
    denied_writes: dict[str, str] = field(default_factory=dict)  # the same, but a dry run passes
    exec_protocols: tuple[str, ...] = PROTOCOLS  # the channel protocols exec serves, preferred first
    version: int = 100
    replacements: int = 0


class KubeRecorder:
    def __init__(self) -> None:
        self.cluster = Cluster()
        self.requests: list[Recorded] = []
        self.lock = threading.RLock()
        self.logs_ended = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (RecordingHandler,), {"recorder": self}))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True, name="kube-recorder")

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> KubeRecorder:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.logs_ended.set()
        self.server.shutdown()
        self.server.server_close()

    def kubeconfig(self, path: Path, context: str = "recorder") -> Path:
        document = {
            "apiVersion": "v1", "kind": "Config", "current-context": context,
            "clusters": [{"name": "recorder", "cluster": {"server": self.url}}],
            "users": [{"name": "rigd", "user": {"token": TOKEN}}],
            "contexts": [{"name": context, "context": {"cluster": "recorder", "user": "rigd"}}],
        }
        path.write_text(json.dumps(document))
        return path

    # -- test set-up and reading ------------------------------------------------------------

    def put(self, path: str, item: dict[str, Any]) -> None:
        """Puts a complete object at its item path (no request is recorded)."""
        with self.lock:
            self.cluster.objects[path] = copy.deepcopy(item)

    def get(self, path: str) -> dict[str, Any] | None:
        with self.lock:
            found = self.cluster.objects.get(path)
            return copy.deepcopy(found) if found else None

    def paths(self, prefix: str = "") -> list[str]:
        with self.lock:
            return sorted(p for p in self.cluster.objects if p.startswith(prefix))

    def take(self) -> list[Recorded]:
        """The requests recorded since the last take, in arrival order."""
        with self.lock:
            taken, self.requests = self.requests, []
            return taken

    def end_logs(self) -> None:
        self.logs_ended.set()

    # -- answers ----------------------------------------------------------------------------

    def answer(self, request: Recorded) -> tuple[int, Any]:
        with self.lock:
            self.requests.append(request)
            path = request.path
            if path in self.cluster.served or path == "/apis/custom.metrics.k8s.io/v1beta2":
                return 200, self.discovery(path)
            if path.startswith(("/apis/metrics.k8s.io/", "/apis/custom.metrics.k8s.io/")):
                return self.metrics(request)
            if path.startswith("/api/v1/namespaces") and NAMESPACED.match(path) is None:
                return self.namespace(request)
            return self.namespaced(request)

    def discovery(self, root: str) -> dict[str, Any]:
        if root.startswith("/apis/custom.metrics.k8s.io"):
            resources = [{"name": name, "namespaced": True, "kind": "MetricValueList"}
                         for name in self.cluster.custom_names]
            return {"kind": "APIResourceList", "groupVersion": "custom.metrics.k8s.io/v1beta2", "resources": resources}
        served = self.cluster.served[root]
        return {"kind": "APIResourceList", "groupVersion": root.removeprefix("/api/").removeprefix("/apis/"),
                "resources": [{"name": plural, "kind": kind, "namespaced": namespaced}
                              for plural, (kind, namespaced) in served.items()]}

    def namespace(self, request: Recorded) -> tuple[int, Any]:
        if request.method == "POST" and request.path == "/api/v1/namespaces":
            if request.path in self.cluster.denied:  # RBAC: rigd may not create namespaces
                return 403, status(403, "Forbidden", f"namespaces is forbidden: {self.cluster.denied[request.path]}")
            path = f"/api/v1/namespaces/{request.body['metadata']['name']}"
            if path in self.cluster.objects:
                return 409, status(409, "AlreadyExists", "namespace already exists")
            self.cluster.objects[path] = self.stamped(request.body, {})
            return 201, self.cluster.objects[path]
        if request.method == "GET" and request.path in self.cluster.objects:
            return 200, self.cluster.objects[request.path]
        return 404, status(404, "NotFound", f'namespaces "{request.path.rsplit("/", 1)[1]}" not found')

    def namespaced(self, request: Recorded) -> tuple[int, Any]:
        match = NAMESPACED.match(request.path)
        if match is None or match.group(3) not in self.cluster.served.get(match.group(1), {}):
            return 404, status(404, "NotFound", "the server could not find the requested resource")
        _, _, plural, name, sub = match.groups()
        if sub is not None:
            return self.subresource(request, name, sub)
        if name is None:
            return self.listing(request, request.path)
        if request.method == "GET":
            found = self.cluster.objects.get(request.path)
            return (200, found) if found else (404, status(404, "NotFound", f'{plural} "{name}" not found'))
        if request.method == "PATCH":
            return self.apply(request)
        if request.method == "DELETE":
            return self.delete(request.path, plural, name)
        return 405, status(405, "MethodNotAllowed", request.method)

    def listing(self, request: Recorded, collection: str) -> tuple[int, Any]:
        selector = dict(request.query).get("labelSelector", "")
        items = [item for path, item in sorted(self.cluster.objects.items())
                 if path.rsplit("/", 1)[0] == collection
                 and selects(selector, item["metadata"].get("labels") or {})]
        listed = [{k: v for k, v in item.items() if k not in ("apiVersion", "kind")} for item in items]
        return 200, {"kind": "List", "apiVersion": "v1", "metadata": {"resourceVersion": str(self.cluster.version)},
                     "items": listed}

    def apply(self, request: Recorded) -> tuple[int, Any]:
        query = dict(request.query)
        if request.content_type != "application/apply-patch+yaml":
            return 415, status(415, "UnsupportedMediaType", f"the media type {request.content_type!r} is not supported")
        if not query.get("fieldManager"):
            return 400, status(400, "BadRequest", "fieldManager is required for apply requests")
        refused = self.refusal(request)
        if refused is not None:
            return refused
        existing = self.cluster.objects.get(request.path)
        changed = self.cluster.applied.get(request.path) != request.body
        result = self.stamped(request.body, existing or {}, bump=changed)
        if query.get("dryRun") == "All":
            return 200, result
        self.cluster.objects[request.path] = result
        self.cluster.applied[request.path] = copy.deepcopy(request.body)
        return (201 if existing is None else 200), result

    def refusal(self, request: Recorded) -> tuple[int, Any] | None:
        """What the API server refuses: an object its schema does not allow (strictly: unknown
        fields too), or one an admission webhook of the test denies (`cluster.denied`)."""
        dry_run = ("dryRun", "All") in request.query
        if request.path in self.cluster.denied or (request.path in self.cluster.denied_writes and not dry_run):
            why = self.cluster.denied.get(request.path) or self.cluster.denied_writes[request.path]
            message = f'admission webhook "policy.example.com" denied the request: {why}'
            return 403, status(403, "Forbidden", message)
        problem = _schema_problem(json.dumps(request.body, sort_keys=True))
        if problem:
            body = request.body
            name = f'{body.get("kind")} "{body.get("metadata", {}).get("name")}"'
            return 422, status(422, "Invalid", f"{name} is invalid: {problem}")
        return None

    def stamped(self, body: dict[str, Any], existing: dict[str, Any], bump: bool = True) -> dict[str, Any]:
        """`body` with the server's metadata: uid and creation time kept, a new version on change."""
        result = copy.deepcopy(body)
        meta, before = result.setdefault("metadata", {}), existing.get("metadata", {})
        if bump:
            self.cluster.version += 1
        meta["uid"] = before.get("uid") or f"uid-{self.cluster.version}"
        meta["creationTimestamp"] = before.get("creationTimestamp") or NOW
        meta["resourceVersion"] = str(self.cluster.version) if bump else before.get("resourceVersion", "")
        return result

    def delete(self, path: str, plural: str, name: str) -> tuple[int, Any]:
        gone = self.cluster.objects.pop(path, None)
        self.cluster.applied.pop(path, None)
        if gone is None:
            return 404, status(404, "NotFound", f'{plural} "{name}" not found')
        owners = gone["metadata"].get("ownerReferences") or []
        if plural == "pods" and any(owner.get("kind") == "ReplicaSet" for owner in owners):
            self.replace_pod(path, gone)
        return 200, gone

    def replace_pod(self, path: str, gone: dict[str, Any]) -> None:
        self.cluster.replacements += 1
        replacement = copy.deepcopy(gone)
        name = f"{gone['metadata'].get('generateName', 'pod-')}r{self.cluster.replacements:04d}"
        replacement["metadata"].update(name=name, uid=f"uid-replacement-{self.cluster.replacements}")
        replacement["status"] = {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "True"}]}
        self.cluster.objects[f"{path.rsplit('/', 1)[0]}/{name}"] = replacement

    def subresource(self, request: Recorded, pod: str, sub: str) -> tuple[int, Any]:
        """Only pod logs answer here; exec is upgraded by the handler before it gets here."""
        found = self.cluster.objects.get(request.path.rsplit("/", 1)[0])
        if sub != "log" or found is None:
            return 404, status(404, "NotFound", f'pods "{pod}" not found')
        previous = dict(request.query).get("previous") == "true"
        containers = found.get("status", {}).get("containerStatuses") or [{}]
        waiting = (containers[0].get("state") or {}).get("waiting")
        if not previous and (waiting or not containers[0]) and not containers[0].get("lastState"):
            reason = (waiting or {}).get("reason", "ContainerCreating")
            return 400, status(400, "BadRequest", f'container "web" in pod "{pod}" is waiting to start: {reason}')
        lines = self.cluster.logs.get((pod, previous), [])
        return 200, "".join(f"{stamp} {text}\n" for stamp, text in lines).encode()

    def metrics(self, request: Recorded) -> tuple[int, Any]:
        path = request.path
        if path.startswith("/apis/custom.metrics.k8s.io/"):
            samples = self.cluster.custom.get(path)
            if samples is None:
                return 404, status(404, "NotFound", "the server could not find the metric")
            return 200, {"kind": "MetricValueList", "apiVersion": "custom.metrics.k8s.io/v1beta2",
                         "metadata": {}, "items": samples}
        namespace = path.split("/namespaces/")[1].split("/")[0]
        pods = self.listing(request, f"/api/v1/namespaces/{namespace}/pods")[1]["items"]
        wanted = path.rsplit("/", 1)[1] if not path.endswith("/pods") else None
        items = [self.pod_metrics(pod) for pod in pods
                 if pod["metadata"]["name"] in self.cluster.usage and wanted in (None, pod["metadata"]["name"])]
        if wanted is not None:
            return (200, items[0]) if items else (404, status(404, "NotFound", f'podmetrics "{wanted}" not found'))
        return 200, {"kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {}, "items": items}

    def pod_metrics(self, pod: dict[str, Any]) -> dict[str, Any]:
        cpu, memory = self.cluster.usage[pod["metadata"]["name"]]
        containers = [{"name": c["name"], "usage": {"cpu": cpu, "memory": memory}} for c in pod["spec"]["containers"]]
        return {"metadata": {"name": pod["metadata"]["name"], "namespace": pod["metadata"]["namespace"]},
                "timestamp": NOW, "window": "30s", "containers": containers}
