"""The Kubernetes API as the driver uses it: plain JSON requests through the official client's
`ApiClient` (its configuration, authentication and TLS), resource paths for the kinds rigd
writes (and discovery for any other kind), and errors sorted into what a caller can act on.

The typed API classes are not used: the driver applies arbitrary rendered objects by kind,
so one generic request path serves every call, and the requests it makes are exactly those a
recording test server sees."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import urllib3
from kubernetes.client import ApiClient
from kubernetes.client.exceptions import ApiException
from kubernetes.client.rest import RESTResponse
from kubernetes.stream.ws_client import create_websocket, get_websocket_url
from websocket import WebSocket, WebSocketException

from rigd.domain.cluster_driver import ClusterUnavailable

Query = Sequence[tuple[str, str]]
JSON = "application/json"
APPLY_PATCH = "application/apply-patch+yaml"
FIELD_MANAGER = "rigd"
TIMEOUT = (5.0, 30.0)  # connect, read (seconds) of a call that is not a stream


@dataclass(frozen=True)
class Resource:
    """Where objects of one kind live: `/api/v1` or `/apis/<group>/<version>`, then the
    namespace when namespaced, then the plural."""

    api_version: str
    kind: str
    plural: str
    namespaced: bool = True

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    def collection(self, namespace: str = "") -> str:
        root = "/api/v1" if self.api_version == "v1" else f"/apis/{self.api_version}"
        if self.namespaced:
            return f"{root}/namespaces/{namespace}/{self.plural}"
        return f"{root}/{self.plural}"

    def item(self, namespace: str, name: str) -> str:
        return f"{self.collection(namespace)}/{name}"


_KNOWN = [
    Resource("v1", "Namespace", "namespaces", namespaced=False),
    Resource("v1", "ConfigMap", "configmaps"),
    Resource("v1", "Secret", "secrets"),
    Resource("v1", "ServiceAccount", "serviceaccounts"),
    Resource("v1", "Service", "services"),
    Resource("v1", "Pod", "pods"),
    Resource("apps/v1", "Deployment", "deployments"),
    Resource("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
    Resource("networking.k8s.io/v1", "Ingress", "ingresses"),
    Resource("batch/v1", "CronJob", "cronjobs"),
    Resource("batch/v1", "Job", "jobs"),
    Resource("rig.dev/v1alpha2", "Capsule", "capsules"),
]
KNOWN_RESOURCES = {(r.api_version, r.kind): r for r in _KNOWN}
NAMESPACE = KNOWN_RESOURCES[("v1", "Namespace")]
POD = KNOWN_RESOURCES[("v1", "Pod")]
JOB = KNOWN_RESOURCES[("batch/v1", "Job")]


class ApiError(Exception):
    """The API server answered a status other than 2xx; `message` is its Status message."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(f"{status} {reason}: {message}")
        self.status = status
        self.reason = reason
        self.message = message

    @property
    def retryable(self) -> bool:
        """Worth asking again later: the server or a webhook is unwell, or a race was lost."""
        return self.status in (409, 429) or self.status >= 500


class KindNotServed(ApiError):
    def __init__(self, api_version: str, kind: str) -> None:
        super().__init__(404, "NotFound", f"the cluster serves no kind {kind} in {api_version}")


class KubeApi:
    """Requests to one API server. Safe to use from several threads (urllib3's pool)."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self._discovered: dict[tuple[str, str], Resource] = {}
        self._lock = threading.Lock()

    @property
    def host(self) -> str:
        return str(self.client.configuration.host)

    # -- plain requests --------------------------------------------------------------------

    def call(self, method: str, path: str, query: Query = (), body: Any = None,
             content_type: str = JSON) -> dict[str, Any]:
        """One request with a JSON answer; raises `ApiError` or `ClusterUnavailable`."""
        response = self.open(method, path, query, body, content_type)
        try:
            data = response.read()
        finally:
            response.response.release_conn()
        return json.loads(data) if data else {}

    def get_or_none(self, path: str, query: Query = ()) -> dict[str, Any] | None:
        try:
            return self.call("GET", path, query)
        except ApiError as error:
            if error.status == 404:
                return None
            raise

    def items(self, path: str, query: Query = ()) -> list[dict[str, Any]]:
        """The items of a list, or none when the kind or API is not served (404)."""
        found = self.get_or_none(path, query)
        return list(found.get("items", [])) if found else []

    def open(self, method: str, path: str, query: Query = (), body: Any = None, content_type: str = JSON,
             stream: bool = False) -> RESTResponse:
        """The response, its body unread (a stream's caller reads and releases it)."""
        headers = {"Accept": JSON}
        payload = None
        if body is not None:
            headers["Content-Type"] = content_type
            # the client serialises JSON bodies itself; an apply patch goes as text (JSON is YAML)
            payload = body if content_type == JSON else json.dumps(body)
        method, url, headers, _, _ = self.client.param_serialize(
            method, path, query_params=list(query), header_params=headers, auth_settings=["BearerToken"])
        timeout = (TIMEOUT[0], None) if stream else TIMEOUT
        try:
            response = self.client.call_api(method, url, headers, payload, _request_timeout=timeout)
        except (urllib3.exceptions.HTTPError, OSError, ApiException) as error:  # TLS errors come as ApiException
            raise ClusterUnavailable(f"the Kubernetes API at {self.host} cannot be reached: {error}") from None
        if not 200 <= response.status <= 299:
            raise _api_error(response)
        return response

    def websocket(self, path: str, query: Query) -> WebSocket:
        """A websocket upgrade of `path` (exec), offering the v5 and v4 channel protocols."""
        _, url, headers, _, _ = self.client.param_serialize(
            "GET", path, header_params={}, auth_settings=["BearerToken"])
        url = get_websocket_url(f"{url}?{urlencode(list(query))}")
        lowered = {key.lower(): value for key, value in headers.items()}
        try:
            return create_websocket(self.client.configuration, url, lowered)
        except WebSocketException as error:
            status = getattr(error, "status_code", None)
            if status is not None and status < 500:
                raise ApiError(int(status), "Upgrade refused", str(error)) from None
            raise ClusterUnavailable(f"the Kubernetes API at {self.host} refused a stream: {error}") from None
        except OSError as error:
            raise ClusterUnavailable(f"the Kubernetes API at {self.host} cannot be reached: {error}") from None

    # -- resources ---------------------------------------------------------------------------

    def resource(self, api_version: str, kind: str) -> Resource:
        """Where `kind` lives: known kinds directly, any other from the server's discovery."""
        key = (api_version, kind)
        if key in KNOWN_RESOURCES:
            return KNOWN_RESOURCES[key]
        with self._lock:
            if key in self._discovered:
                return self._discovered[key]
        root = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
        listing = self.get_or_none(root) or {}
        for entry in listing.get("resources", []):
            if entry.get("kind") == kind and "/" not in entry.get("name", ""):
                found = Resource(api_version, kind, entry["name"], bool(entry.get("namespaced", True)))
                with self._lock:
                    self._discovered[key] = found
                return found
        raise KindNotServed(api_version, kind)


def _api_error(response: RESTResponse) -> ApiError:
    try:
        raw = response.read()
    finally:
        response.response.release_conn()
    try:
        status = json.loads(raw)
    except ValueError:
        status = {}
    if not isinstance(status, dict):
        status = {}
    message = str(status.get("message") or raw[:200].decode("utf-8", "replace") or response.reason)
    return ApiError(response.status, str(status.get("reason") or response.reason), message)


def label_selector(labels: dict[str, str], present: Sequence[str] = ()) -> str:
    """`k=v,...` (sorted), then `k` for labels that must merely exist."""
    return ",".join([f"{key}={value}" for key, value in sorted(labels.items())] + list(present))
