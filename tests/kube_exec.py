"""The exec subresource of the recording Kubernetes API server (tests/kube_recorder.py): a
minimal websocket server side (RFC 6455 handshake and framing) speaking Kubernetes' channel
protocols (v5.channel.k8s.io, v4.channel.k8s.io), with scripted commands:

- `echo ARGS...` writes ARGS joined by spaces and a newline to stdout, exit 0;
- `cat` copies stdin to stdout until stdin is closed (v5's close frame `[255, 0]`), exit 0;
- `sh -c "exit N"` (and `false`, N = 1) writes "failing" to stderr and exits N;
- anything else could not start: a Failure status without an exit code, like a runtime's
  "executable file not found".

Terminal resizes (channel 4) are recorded on the server's `resizes` list."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from collections.abc import Callable
from typing import Any, BinaryIO

WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
PROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io")
TEXT, BINARY, CLOSE, PING, PONG = 1, 2, 8, 9, 10
STDIN, STDOUT, STDERR, STATUS, RESIZE, CLOSE_CHANNEL = 0, 1, 2, 3, 4, 255


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + WEBSOCKET_GUID).encode()).digest()).decode()


def choose_protocol(offered: str, served: tuple[str, ...] = PROTOCOLS) -> str:
    """The first protocol the server serves (in its order of preference) that the client offered."""
    names = [name.strip() for name in offered.split(",")]
    return next((p for p in served if p in names), "")


def read_frame(stream: BinaryIO) -> tuple[int, bytes]:
    """One frame from a client (clients mask their frames); (CLOSE, b"") at the end of the stream."""
    head = stream.read(2)
    if len(head) < 2:
        return CLOSE, b""
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if length == 126:
        length = struct.unpack("!H", stream.read(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", stream.read(8))[0]
    mask = stream.read(4) if head[1] & 0x80 else b"\0\0\0\0"
    payload = stream.read(length)
    return opcode, bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))


def write_frame(stream: BinaryIO, opcode: int, payload: bytes) -> None:
    """A server frame (never masked), unfragmented."""
    length = len(payload)
    if length < 126:
        header = bytes([0x80 | opcode, length])
    elif length < 1 << 16:
        header = bytes([0x80 | opcode, 126]) + struct.pack("!H", length)
    else:
        header = bytes([0x80 | opcode, 127]) + struct.pack("!Q", length)
    stream.write(header + payload)
    stream.flush()


def success() -> dict[str, Any]:
    return {"metadata": {}, "status": "Success"}


def exit_status(code: int) -> dict[str, Any]:
    return {"metadata": {}, "status": "Failure", "message": f"command terminated with non-zero exit code: {code}",
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]}}


def not_started(command: str) -> dict[str, Any]:
    return {"metadata": {}, "status": "Failure", "reason": "InternalError",
            "message": f'exec: "{command}": executable file not found in $PATH'}


class ExecScript:
    """Runs one scripted command over an upgraded connection."""

    def __init__(self, reader: BinaryIO, writer: BinaryIO, protocol: str, command: list[str],
                 on_resize: Callable[[dict[str, Any]], None]) -> None:
        self.reader, self.writer, self.protocol = reader, writer, protocol
        self.command = command
        self.on_resize = on_resize

    def run(self) -> None:
        name, args = (self.command or [""])[0], self.command[1:]
        if name == "echo":
            self.send(STDOUT, (" ".join(args) + "\n").encode())
            self.finish(success())
        elif name == "cat":
            self.copy_stdin()
        elif name == "false" or (name == "sh" and args[:1] == ["-c"] and args[1:2] and args[1].startswith("exit ")):
            code = 1 if name == "false" else int(args[1].split()[1])
            self.send(STDERR, b"failing\n")
            self.finish(exit_status(code) if code else success())
        else:
            self.finish(not_started(name))

    def copy_stdin(self) -> None:
        while True:
            opcode, data = read_frame(self.reader)
            if opcode == CLOSE:
                return
            if not data or opcode not in (TEXT, BINARY):
                continue
            if data[0] == STDIN:
                self.send(STDOUT, data[1:])
            elif data[0] == RESIZE:
                self.on_resize(json.loads(data[1:]))
            elif data[0] == CLOSE_CHANNEL and data[1:2] == bytes([STDIN]):
                self.finish(success())
                return

    def send(self, channel: int, data: bytes) -> None:
        write_frame(self.writer, BINARY, bytes([channel]) + data)

    def finish(self, status: dict[str, Any]) -> None:
        self.send(STATUS, json.dumps(status).encode())
        write_frame(self.writer, CLOSE, struct.pack("!H", 1000))
        self.drain()

    def drain(self) -> None:
        """Reads what the client still sends (resizes, its close frame) until it closes."""
        while True:
            opcode, data = read_frame(self.reader)
            if opcode == CLOSE:
                return
            if data[:1] == bytes([RESIZE]):
                self.on_resize(json.loads(data[1:]))
