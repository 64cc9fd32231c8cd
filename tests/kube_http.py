"""The HTTP side of the recording Kubernetes API server (tests/kube_recorder.py): one request
at a time is recorded and answered by the recorder; pod log streams that follow are sent
chunked until the recorder ends them; exec is upgraded to a websocket (tests/kube_exec.py)."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from tests.kube_exec import ExecScript, accept_key, choose_protocol

if TYPE_CHECKING:
    from tests.kube_recorder import KubeRecorder

TOKEN = "recorder-token"


@dataclass
class Recorded:
    method: str
    path: str
    query: list[tuple[str, str]]
    content_type: str
    body: Any

    def line(self) -> str:
        """One line of the golden request sequence: objects by kind and name, other bodies as JSON."""
        query = f"?{urlencode(self.query)}" if self.query else ""
        text = f"{self.method} {self.path}{query}"
        if self.content_type:
            text += f" [{self.content_type}]"
        if isinstance(self.body, dict) and "kind" in self.body and "name" in self.body.get("metadata", {}):
            text += f" {self.body['kind']}/{self.body['metadata']['name']}"
        elif self.body is not None:
            text += f" {json.dumps(self.body, sort_keys=True)}"
        return text


def status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


class RecordingHandler(BaseHTTPRequestHandler):
    """Answers through `recorder` (set on a subclass per server: http.server makes a handler per request)."""

    recorder: KubeRecorder
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else each answer waits on the client's delayed ACK
    wbufsize = 1 << 16  # headers and body leave in one write (flushed after each answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the recording is the log

    def handle_any(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type", "") if raw else ""
        request = Recorded(self.command, parts.path, parse_qsl(parts.query, keep_blank_values=True),
                           content_type, json.loads(raw) if raw else None)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
        elif self.headers.get("Upgrade", "").lower() == "websocket":
            self.upgrade(request)
        elif request.path.endswith("/log") and dict(request.query).get("follow") == "true":
            self.follow(request)
        else:
            code, body = self.recorder.answer(request)
            self.send_json(code, body)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = handle_any  # noqa: N815 (http.server's names)

    def send_json(self, code: int, body: Any) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain" if isinstance(body, bytes) else "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def follow(self, request: Recorded) -> None:
        code, body = self.recorder.answer(request)
        if code != 200:
            self.send_json(code, body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        for line in body.splitlines(keepends=True):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            self.wfile.flush()
        self.recorder.logs_ended.wait()
        self.wfile.write(b"0\r\n\r\n")
        self.close_connection = True

    def upgrade(self, request: Recorded) -> None:
        with self.recorder.lock:
            self.recorder.requests.append(request)
            pod_path = request.path.rsplit("/", 1)[0]
            found = self.recorder.cluster.objects.get(pod_path) is not None
        if not found or not request.path.endswith("/exec"):
            self.send_json(404, status(404, "NotFound", "pod not found"))
            return
        protocol = choose_protocol(self.headers.get("Sec-WebSocket-Protocol", ""), self.recorder.cluster.exec_protocols)
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept_key(self.headers["Sec-WebSocket-Key"]))
        if protocol:
            self.send_header("Sec-WebSocket-Protocol", protocol)
        self.end_headers()
        self.wfile.flush()
        command = [value for key, value in request.query if key == "command"]
        with contextlib.suppress(OSError, ValueError):  # the client went away mid-frame
            ExecScript(self.rfile, self.wfile, protocol, command, self.record_resize).run()
        self.close_connection = True

    def record_resize(self, size: dict[str, Any]) -> None:
        with self.recorder.lock:
            self.recorder.cluster.resizes.append(size)
