"""Execute in a pod: the exec subresource over a websocket with Kubernetes' channel protocols.

The driver offers `v5.channel.k8s.io` and `v4.channel.k8s.io`. Every binary message starts
with its channel: 0 stdin, 1 stdout, 2 stderr, 3 the status (a `metav1.Status` in JSON, sent
once when the command ended), 4 terminal resizes (`{"Width": w, "Height": h}`). v5 adds 255,
closing a channel: `[255, 0]` closes stdin, which v4 cannot say (there a command reading
stdin to its end only ends when the session is closed).

The exit code is read from the status: `Success` is 0; a `NonZeroExitCode` failure names the
code in its `ExitCode` cause. A failure without one (the command could not start, the
container went away) is reported on stderr with exit code 1, as kubectl exits."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from typing import Any

from websocket import ABNF, WebSocket, WebSocketException

from rigd.adapters.kubernetes.cluster_api import POD, KubeApi
from rigd.domain.cluster_driver import ExecOutput, ExecRequest, LogStream, TerminalSize

STDIN, STDOUT, STDERR, STATUS, RESIZE, CLOSE = 0, 1, 2, 3, 4, 255
V5 = "v5.channel.k8s.io"
_STREAMS = {STDOUT: LogStream.STDOUT, STDERR: LogStream.STDERR}


def exec_query(container: str, request: ExecRequest) -> list[tuple[str, str]]:
    query = [("command", part) for part in (request.command, *request.args)]
    query.append(("container", container))
    if request.interactive:
        query.append(("stdin", "true"))
    query.append(("stdout", "true"))
    if request.tty is None:
        query.append(("stderr", "true"))  # with a terminal, stderr arrives merged into stdout
    else:
        query.append(("tty", "true"))
    return query


def exit_code_of(status: dict[str, Any]) -> tuple[int, str]:
    """The exit code a status reports, and a message when the command did not run to an exit."""
    if status.get("status") == "Success":
        return 0, ""
    for cause in (status.get("details") or {}).get("causes") or []:
        if cause.get("reason") == "ExitCode" and str(cause.get("message", "")).isdigit():
            return int(cause["message"]), ""
    return 1, str(status.get("message") or "the command failed")


class PodExecSession:
    """The `ExecSession` of the port over an exec websocket."""

    def __init__(self, socket: WebSocket, tty: TerminalSize | None) -> None:
        self._socket = socket
        self._protocol = _protocol(socket)
        self._exit_code: int | None = None
        self._closed = threading.Event()
        if tty is not None:
            self.resize(tty)

    @classmethod
    def start(cls, api: KubeApi, namespace: str, pod: str, container: str, request: ExecRequest) -> PodExecSession:
        socket = api.websocket(f"{POD.item(namespace, pod)}/exec", exec_query(container, request))
        return cls(socket, request.tty)

    @property
    def protocol(self) -> str:
        return self._protocol

    def send(self, data: bytes) -> None:
        self._send(STDIN, data)

    def close_stdin(self) -> None:
        if self._protocol == V5:
            self._socket.send(bytes([CLOSE, STDIN]), ABNF.OPCODE_BINARY)

    def resize(self, size: TerminalSize) -> None:
        self._send(RESIZE, json.dumps({"Width": size.columns, "Height": size.rows}).encode())

    def __iter__(self) -> Iterator[ExecOutput]:
        while not self._closed.is_set():
            try:
                opcode, frame = self._socket.recv_data_frame(True)
            except (WebSocketException, OSError):
                break
            if opcode == ABNF.OPCODE_CLOSE:
                break
            data = bytes(frame.data) if opcode in (ABNF.OPCODE_BINARY, ABNF.OPCODE_TEXT) else b""
            if not data or data[0] == CLOSE:
                continue
            if data[0] in _STREAMS and len(data) > 1:
                yield ExecOutput(_STREAMS[data[0]], data[1:])
            elif data[0] == STATUS:
                code, message = exit_code_of(json.loads(data[1:] or b"{}"))
                self._exit_code = code
                if message:
                    yield ExecOutput(LogStream.STDERR, message.encode() + b"\n")
        self.close()

    @property
    def exit_code(self) -> int | None:
        return self._exit_code

    def close(self) -> None:
        if not self._closed.is_set():
            self._closed.set()
            with contextlib.suppress(WebSocketException, OSError):  # already gone
                self._socket.close()

    def _send(self, channel: int, data: bytes) -> None:
        if self._closed.is_set():
            return
        try:
            self._socket.send(bytes([channel]) + data, ABNF.OPCODE_BINARY)
        except (WebSocketException, OSError):
            self.close()  # the command ended or the server went away; iteration reports it


def _protocol(socket: WebSocket) -> str:
    """The channel protocol the server chose (the header; the client library checks none)."""
    for key, value in (socket.getheaders() or {}).items():
        if key.lower() == "sec-websocket-protocol":
            return str(value)
    return ""
