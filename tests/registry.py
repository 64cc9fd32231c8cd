"""A real Docker registry for the tests: Debian's `docker-registry` (Distribution 2.8) on a free
127.0.0.1 port with a temporary storage directory, anonymous, with htpasswd (bcrypt) Basic
auth, or with token auth against a small token server run here (ES256 JWTs signed with a
self-signed certificate the registry trusts). `push_image` uploads a small image (a config
blob, a gzipped tar layer, an OCI manifest) over the registry's HTTP API."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import tarfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import bcrypt
import jwt
import pytest
import urllib3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USERNAME = "pusher"
PASSWORD = "registry-pa55-planted"
SERVICE = "rigd-test-registry"
ISSUER = "rigd-test-token-issuer"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
_http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(10.0))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Registry:
    host: str  # 127.0.0.1:<port>
    auth: str  # "none", "basic" or "token"
    token_server: TokenServer | None = None

    def authorization(self, repository: str) -> dict[str, str]:
        """The header a pusher sends (push and pull rights)."""
        if self.auth == "basic":
            pair = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
            return {"Authorization": f"Basic {pair}"}
        if self.auth == "token" and self.token_server is not None:
            return {"Authorization": f"Bearer {self.token_server.issue(USERNAME, repository, ['pull', 'push'])}"}
        return {}

    def push_image(self, repository: str, tag: str, created: str = "2024-05-06T07:08:09.123456789Z",
                   content: bytes = b"hello") -> str:
        """Pushes a one-layer image as `repository:tag`; returns its manifest digest."""
        headers = self.authorization(repository)
        layer = _layer(content)
        config = json.dumps({"architecture": "amd64", "os": "linux", "created": created, "config": {},
                             "rootfs": {"type": "layers", "diff_ids": [_digest(gzip.decompress(layer))]}}).encode()
        for blob in (config, layer):
            self._upload(repository, blob, headers)
        manifest = json.dumps({
            "schemaVersion": 2, "mediaType": OCI_MANIFEST,
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": _digest(config),
                       "size": len(config)},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": _digest(layer),
                        "size": len(layer)}],
        }).encode()
        response = _http.request("PUT", f"http://{self.host}/v2/{repository}/manifests/{tag}", body=manifest,
                                 headers={**headers, "Content-Type": OCI_MANIFEST})
        assert response.status == 201, (response.status, response.data)
        assert response.headers["Docker-Content-Digest"] == _digest(manifest)
        return _digest(manifest)

    def _upload(self, repository: str, blob: bytes, headers: dict[str, str]) -> None:
        started = _http.request("POST", f"http://{self.host}/v2/{repository}/blobs/uploads/", headers=headers)
        assert started.status == 202, (started.status, started.data)
        location = started.headers["Location"]
        if location.startswith("/"):
            location = f"http://{self.host}{location}"
        joiner = "&" if "?" in location else "?"
        done = _http.request("PUT", f"{location}{joiner}digest={_digest(blob)}", body=blob,
                             headers={**headers, "Content-Type": "application/octet-stream"})
        assert done.status == 201, (done.status, done.data)


def _digest(data: bytes) -> str:
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


def _layer(content: bytes) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as archive:
        info = tarfile.TarInfo("hello.txt")
        info.size, info.mtime = len(content), 0
        archive.addfile(info, io.BytesIO(content))
    return gzip.compress(raw.getvalue(), mtime=0)


class TokenServer:
    """Distribution's token protocol: GET /token?service=&scope= with Basic credentials (or
    none: then no access) answers {"token": <ES256 JWT with an x5c chain>}."""

    def __init__(self, directory: Path) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ISSUER)])
        now = datetime.now(UTC)
        self.certificate = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(self._key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self._key, hashes.SHA256()))
        self.bundle = directory / "token-root.pem"
        self.bundle.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))
        self.requests: list[dict[str, Any]] = []
        server = self
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _token_handler(server))
        self.realm = f"http://127.0.0.1:{self._http.server_address[1]}/token"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()

    def issue(self, subject: str, repository: str, actions: list[str]) -> str:
        now = int(time.time())
        access = [{"type": "repository", "name": repository, "actions": actions}] if repository else []
        claims = {"iss": ISSUER, "sub": subject, "aud": SERVICE, "iat": now, "nbf": now - 10, "exp": now + 300,
                  "jti": uuid.uuid4().hex, "access": access}
        chain = [base64.b64encode(self.certificate.public_bytes(serialization.Encoding.DER)).decode()]
        return jwt.encode(claims, self._key, algorithm="ES256", headers={"x5c": chain})

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()


def _token_handler(server: TokenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = parse_qs(urlsplit(self.path).query)
            scope = (query.get("scope") or [""])[0]
            header = self.headers.get("Authorization", "")
            server.requests.append({"scope": scope, "service": (query.get("service") or [""])[0],
                                    "basic": header.startswith("Basic ")})
            user = ""
            if header.startswith("Basic "):
                name, _, secret = base64.b64decode(header[6:]).decode().partition(":")
                if (name, secret) != (USERNAME, PASSWORD):
                    self._answer(401, {"details": "bad credentials"})
                    return
                user = name
            parts = scope.split(":")
            granted = parts[2].split(",") if user and len(parts) == 3 else []
            repository = parts[1] if len(parts) == 3 else ""
            self._answer(200, {"token": server.issue(user or "anonymous", repository, granted), "expires_in": 300})

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _config(directory: Path, port: int, auth: str, token_server: TokenServer | None) -> Path:
    lines = ["version: 0.1", "log:", "  level: error", "storage:", "  filesystem:",
             f"    rootdirectory: {directory / 'storage'}", "  delete:", "    enabled: true", "http:",
             f"  addr: 127.0.0.1:{port}", f"  secret: {uuid.uuid4().hex}"]
    if auth == "basic":
        htpasswd = directory / "htpasswd"
        hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=5)).decode()
        htpasswd.write_text(f"{USERNAME}:{hashed}\n")
        lines += ["auth:", "  htpasswd:", "    realm: rigd-test", f"    path: {htpasswd}"]
    elif auth == "token" and token_server is not None:
        lines += ["auth:", "  token:", f"    realm: {token_server.realm}", f"    service: {SERVICE}",
                  f"    issuer: {ISSUER}", f"    rootcertbundle: {token_server.bundle}"]
    path = directory / "config.yml"
    path.write_text("\n".join(lines) + "\n")
    return path


def require_registry() -> str:
    """The registry binary; a test without it fails under CI (CI set) and is skipped elsewhere."""
    found = shutil.which("docker-registry")
    if found is None:
        message = "docker-registry is not installed (apt-get install docker-registry; .ci/run does)"
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


@contextmanager
def running_registry(directory: Path, auth: str = "none") -> Iterator[Registry]:
    """A registry with `auth` ("none", "basic", "token") until the block ends."""
    binary = require_registry()
    directory.mkdir(parents=True, exist_ok=True)
    token_server = TokenServer(directory) if auth == "token" else None
    port = _free_port()
    config = _config(directory, port, auth, token_server)
    log = (directory / "registry.log").open("wb")
    process = subprocess.Popen([binary, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(f"127.0.0.1:{port}", process, directory / "registry.log")
        yield Registry(f"127.0.0.1:{port}", auth, token_server)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        if token_server is not None:
            token_server.stop()


def _wait_until_serving(host: str, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"docker-registry exited: {log.read_text()[-2000:]}")
        try:
            if _http.request("GET", f"http://{host}/v2/", timeout=1.0).status in (200, 401):
                return
        except urllib3.exceptions.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"docker-registry did not start serving: {log.read_text()[-2000:]}")
