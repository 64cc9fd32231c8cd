"""A client of the Docker Registry HTTP API v2 (Distribution, Docker Hub, GHCR, ...): the
`ImageRegistry` port of the images.

Authentication follows the registry's challenge: a request goes out anonymous; a 401 with
`WWW-Authenticate: Basic` is retried with the registry's credentials, one with `Bearer realm,
service, scope` first fetches a token from the realm (with the credentials as Basic, or
anonymous without) and is retried with it. Tokens are kept per (registry, scope, user) until
they expire. Registries on the loopback interface (and hosts configured as insecure) are
spoken to over http, all others over https."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import urllib3

from rigd.domain.context import current_bounds
from rigd.domain.errors import InvalidArgument
from rigd.domain.image_references import DOCKER_HUB, ImageReference
from rigd.domain.images import (
    ImageNotInRegistry,
    RegistryCredentials,
    RegistryUnauthenticated,
    RegistryUnavailable,
    RepositoryNotInRegistry,
    RepositoryTag,
)
from rigd.domain.naming import quoted

MANIFEST_TYPES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
)
_INDEX_TYPES = (MANIFEST_TYPES[0], MANIFEST_TYPES[2])
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_CONFIG_BYTES = 8 * 1024 * 1024
MAX_TAGS = 1000
# Each tag's creation time costs two or three requests: the newest-looking first ones only.
MAX_TAGS_WITH_TIMES = 100
_LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
_CHALLENGE_PARAM = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class _Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


class RegistryClient:
    """Thread-safe; one per rigd (it pools connections and caches tokens)."""

    def __init__(self, insecure_hosts: Iterable[str] = (), timeout: float = 10.0,
                 ca_certs: str | None = None) -> None:
        self._insecure = frozenset(insecure_hosts)
        self._read_timeout = timeout
        self._timeout = urllib3.Timeout(connect=min(timeout, 5.0), read=timeout)
        self._pool = urllib3.PoolManager(retries=False, ca_certs=ca_certs)
        self._tokens: dict[tuple[str, str, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def manifest_digest(self, reference: ImageReference, credentials: RegistryCredentials | None) -> str:
        target = reference.digest or reference.tag
        path = f"/v2/{reference.path}/manifests/{target}"
        accept = {"Accept": ", ".join(MANIFEST_TYPES)}
        response = self._call("HEAD", reference.registry, path, reference.path, credentials, accept)
        if response.status == 404:
            raise ImageNotInRegistry(str(reference))
        self._require_ok(reference.registry, response)
        digest = response.headers.get("docker-content-digest", "")
        if not digest:  # some registries answer HEAD without the digest: hash the manifest itself
            body = self._manifest(reference, target, credentials)[1]
            digest = f"sha256:{hashlib.sha256(body).hexdigest()}"
        return digest

    def created_at(self, reference: ImageReference, credentials: RegistryCredentials | None) -> datetime | None:
        media_type, body = self._manifest(reference, reference.digest or reference.tag, credentials)
        manifest = _json(body, reference.registry)
        if media_type in _INDEX_TYPES or "manifests" in manifest:
            chosen = _platform_manifest(manifest.get("manifests") or [])
            if chosen is None:
                return None
            manifest = _json(self._manifest(reference, chosen, credentials)[1], reference.registry)
        config = (manifest.get("config") or {}).get("digest")
        if not isinstance(config, str) or not config:
            return None
        response = self._call("GET", reference.registry, f"/v2/{reference.path}/blobs/{config}", reference.path,
                              credentials, {}, MAX_CONFIG_BYTES)
        if response.status == 404:
            return None
        self._require_ok(reference.registry, response)
        return parse_created(_json(response.body, reference.registry).get("created"))

    def tags(self, registry: str, path: str, credentials: RegistryCredentials | None) -> list[RepositoryTag]:
        names: list[str] = []
        page: str | None = f"/v2/{path}/tags/list?{urlencode({'n': MAX_TAGS})}"
        while page and len(names) < MAX_TAGS:
            response = self._call("GET", registry, page, path, credentials, {}, MAX_MANIFEST_BYTES)
            if response.status == 404:
                raise RepositoryNotInRegistry(f"{registry}/{path}")
            self._require_ok(registry, response)
            names.extend(str(tag) for tag in (_json(response.body, registry).get("tags") or []))
            page = _next_page(response.headers.get("link", ""))
        result = []
        for index, tag in enumerate(names[:MAX_TAGS]):
            created = None
            if index < MAX_TAGS_WITH_TIMES:
                try:
                    created = self.created_at(ImageReference(registry, path, tag), credentials)
                except ImageNotInRegistry:
                    continue  # deleted since the listing
            result.append(RepositoryTag(tag, created))
        return result

    def _manifest(self, reference: ImageReference, target: str,
                  credentials: RegistryCredentials | None) -> tuple[str, bytes]:
        response = self._call("GET", reference.registry, f"/v2/{reference.path}/manifests/{target}", reference.path,
                              credentials, {"Accept": ", ".join(MANIFEST_TYPES)}, MAX_MANIFEST_BYTES)
        if response.status == 404:
            raise ImageNotInRegistry(str(reference))
        self._require_ok(reference.registry, response)
        return response.headers.get("content-type", "").split(";")[0].strip(), response.body

    def _call(self, method: str, registry: str, path: str, repository: str, credentials: RegistryCredentials | None,
              headers: dict[str, str], limit: int = 0) -> _Response:
        """One request, authenticated as the registry's challenge asks."""
        url = self._base(registry) + path
        scope = f"repository:{repository}:pull"
        token = self._cached_token(registry, scope, _login_key(credentials))
        first = self._send(method, url, {**headers, **({"Authorization": f"Bearer {token}"} if token else {})},
                           registry, limit)
        if first.status != 401:
            return first
        challenge = first.headers.get("www-authenticate", "")
        scheme, params = parse_challenge(challenge)
        if scheme == "basic":
            if credentials is None:
                raise RegistryUnauthenticated(registry, had_credentials=False)
            retried = self._send(method, url, {**headers, "Authorization": _basic(credentials)}, registry, limit)
        elif scheme == "bearer" and params.get("realm"):
            token = self._fetch_token(registry, params, scope, credentials)
            retried = self._send(method, url, {**headers, "Authorization": f"Bearer {token}"}, registry, limit)
        else:
            raise RegistryUnauthenticated(registry, had_credentials=credentials is not None)
        if retried.status in (401, 403):
            raise RegistryUnauthenticated(registry, had_credentials=credentials is not None)
        return retried

    def _fetch_token(self, registry: str, challenge: dict[str, str], scope: str,
                     credentials: RegistryCredentials | None) -> str:
        query = {"service": challenge.get("service", ""), "scope": challenge.get("scope") or scope}
        url = challenge["realm"] + ("&" if "?" in challenge["realm"] else "?") + urlencode(query)
        headers = {"Authorization": _basic(credentials)} if credentials else {}
        response = self._send("GET", url, headers, registry, MAX_MANIFEST_BYTES)
        if response.status in (401, 403):
            raise RegistryUnauthenticated(registry, had_credentials=credentials is not None)
        if response.status != 200:
            raise RegistryUnavailable(registry, f"its token service answered {response.status}")
        answer = _json(response.body, registry)
        token = answer.get("token") or answer.get("access_token")
        if not isinstance(token, str) or not token:
            raise RegistryUnavailable(registry, "its token service answered no token")
        lifetime = answer.get("expires_in")
        expires = time.monotonic() + (float(lifetime) if isinstance(lifetime, int | float) else 60.0) - 5.0
        with self._lock:
            self._tokens[(registry, scope, _login_key(credentials))] = (token, expires)
        return token

    def _cached_token(self, registry: str, scope: str, login: str) -> str:
        with self._lock:
            cached = self._tokens.get((registry, scope, login))
            if cached is None:
                return ""
            if cached[1] <= time.monotonic():
                del self._tokens[(registry, scope, login)]
                return ""
            return cached[0]

    def _send(self, method: str, url: str, headers: dict[str, str], registry: str, limit: int) -> _Response:
        bounds = current_bounds()
        bounds.check()  # the call ended (deadline, client gone): no more requests for it
        timeout = self._timeout
        remaining = bounds.remaining()
        if remaining is not None and remaining < self._read_timeout:  # never wait past the call's deadline
            timeout = urllib3.Timeout(connect=min(remaining, 5.0), read=remaining)
        try:
            response = self._pool.request(method, url, headers=headers, timeout=timeout,
                                          preload_content=False, redirect=method == "GET")
        except urllib3.exceptions.HTTPError as error:
            raise RegistryUnavailable(registry, _reason(error)) from None
        try:
            body = response.read(limit + 1) if limit and method != "HEAD" else b""
        except urllib3.exceptions.HTTPError as error:
            raise RegistryUnavailable(registry, _reason(error)) from None
        finally:
            response.drain_conn()
            response.release_conn()
        if limit and len(body) > limit:
            raise RegistryUnavailable(registry, f"it answered more than {limit} bytes")
        return _Response(response.status, {k.lower(): v for k, v in response.headers.items()}, body)

    def _require_ok(self, registry: str, response: _Response) -> None:
        if 200 <= response.status < 300:
            return
        if response.status == 400:
            raise InvalidArgument(f"docker registry {quoted(registry)} refused the request: {_error_text(response)}")
        raise RegistryUnavailable(registry, f"it answered HTTP {response.status}")

    def _base(self, registry: str) -> str:
        if registry == DOCKER_HUB:
            return "https://registry-1.docker.io"
        host = registry.rsplit(":", 1)[0] if not registry.endswith("]") else registry
        secure = host not in _LOOPBACK and registry not in self._insecure and host not in self._insecure
        return f"{'https' if secure else 'http'}://{registry}"


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """(scheme in lower case, parameters) of a `WWW-Authenticate` header."""
    scheme, _, rest = header.strip().partition(" ")
    return scheme.lower(), dict(_CHALLENGE_PARAM.findall(rest))


def parse_created(value: Any) -> datetime | None:
    """An RFC 3339 time as image configurations write it (nanoseconds cut to microseconds)."""
    if not isinstance(value, str) or not value:
        return None
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", value.strip())
    if match is None:
        return None
    seconds, fraction, zone = match.groups()
    text = f"{seconds}.{(fraction or '0')[:6].ljust(6, '0')}{'+00:00' if zone == 'Z' else zone}"
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return None


def _platform_manifest(manifests: list[Any]) -> str | None:
    """The digest of an index's linux/amd64 image, else of its first."""
    digests = [m for m in manifests if isinstance(m, dict) and isinstance(m.get("digest"), str)]
    for entry in digests:
        platform = entry.get("platform") or {}
        if platform.get("os") == "linux" and platform.get("architecture") == "amd64":
            return str(entry["digest"])
    return str(digests[0]["digest"]) if digests else None


def _next_page(link: str) -> str | None:
    """The path and query of a `Link: <...>; rel="next"` header (relative or absolute)."""
    match = re.search(r'<([^>]+)>\s*;\s*rel="?next"?', link)
    if match is None:
        return None
    parts = urlsplit(match.group(1))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _login_key(credentials: RegistryCredentials | None) -> str:
    """Which login a cached token belongs to: a changed password never reuses the old one's token."""
    if credentials is None:
        return ""
    return hashlib.sha256(f"{credentials.username}\0{credentials.password}".encode()).hexdigest()


def _basic(credentials: RegistryCredentials) -> str:
    return "Basic " + base64.b64encode(f"{credentials.username}:{credentials.password}".encode()).decode()


def _json(body: bytes, registry: str) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except ValueError:
        raise RegistryUnavailable(registry, "it answered something that is not JSON") from None
    if not isinstance(value, dict):
        raise RegistryUnavailable(registry, "it answered JSON that is not an object")
    return value


def _error_text(response: _Response) -> str:
    try:
        errors = json.loads(response.body).get("errors") or []
        return "; ".join(str(e.get("message", e.get("code", ""))) for e in errors)[:200] or "bad request"
    except (ValueError, AttributeError):
        return "bad request"


def _reason(error: Exception) -> str:
    if isinstance(error, urllib3.exceptions.MaxRetryError) and error.reason is not None:
        error = error.reason
    if isinstance(error, urllib3.exceptions.NewConnectionError | urllib3.exceptions.NameResolutionError):
        return "it could not be reached"  # (urllib3 counts a refused connection as a connect timeout too)
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return "it did not answer in time"
    if isinstance(error, urllib3.exceptions.SSLError):
        return "its TLS certificate was refused"
    return "it could not be reached"
