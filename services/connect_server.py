"""The Connect endpoint: Hypercorn serving the Connect application (services/connect_api.py)
and server reflection (services/connect_reflection.py) on a uvloop event loop of its own thread,
HTTP/1.1 and HTTP/2 cleartext (prior knowledge) on one port."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable, Sequence
from concurrent import futures
from email.utils import formatdate
from typing import Any

import uvloop
from hypercorn.asyncio import serve
from hypercorn.config import Config

from rigd.services.call_path import Endpoint
from rigd.services.connect_api import Asgi, connect_application, with_status
from rigd.services.connect_reflection import with_reflection

log = logging.getLogger(__name__)

SETTING = "connect_listen"
# Hypercorn closes a connection after this many requests (1000 by default), which breaks a
# busy client's connection (the CLI keeps one HTTP/2 connection for everything).
REQUESTS_PER_CONNECTION = 2**31
STREAMS_PER_CONNECTION = 256


class BindFailed(OSError):
    """The address cannot be bound; `reason` says why (the operating system's words)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ConnectServer:
    """Binds `address` at once (raising BindFailed), serves from `start` until `stop`."""

    def __init__(
        self, endpoints: Sequence[Endpoint], address: str, is_serving: Callable[[], bool], workers: int,
    ) -> None:
        self._pool = futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="connect")
        served = dict.fromkeys(endpoint.rpc.service for endpoint in endpoints)
        app = with_reflection(connect_application(endpoints, self._pool), served)
        self._app = with_content_length(with_status(app, is_serving))
        self._socket = _bound(address)
        host = address.rpartition(":")[0]
        self.address = f"{host}:{self._socket.getsockname()[1]}"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="connect-server", daemon=True)
        self._config = _config(self._socket)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(timeout=30)

    def stop(self, grace: float = 5.0) -> None:
        """Stops accepting, lets calls in flight finish for up to `grace` seconds, then ends."""
        self._config.graceful_timeout = grace
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
            self._thread.join(timeout=grace + 10)
        else:
            self._socket.close()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self) -> None:
        # libuv's loop: Hypercorn's HTTP is pure Python on this loop, and uvloop's transports and
        # scheduling take 5 to 12% off the server's CPU per Connect call (bench/connect_vs_grpc.py).
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        self._socket.detach()  # Hypercorn owns the descriptor from here, and closes it
        self._ready.set()
        await serve(self._app, self._config, shutdown_trigger=self._stopping.wait)


def with_content_length(app: Asgi, clock: Callable[[], float] = time.time) -> Asgi:
    """`app`, a body sent in one message answered with its Content-Length: without one,
    Hypercorn answers HTTP/1.1 chunked, one more write and more framing per call (a unary
    call's start and body come one right after the other, so holding the start costs nothing).
    Every response gets its Date here, formatted once a second rather than by Hypercorn for
    every response."""
    dated = _Date(clock)

    async def application(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        held: dict[str, Any] | None = None

        async def sized(message: dict[str, Any]) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message["headers"], (b"date", dated())]}
                if not message.get("trailers", False):
                    held = message
                    return
            if held is not None:
                start, held = held, None
                if _is_whole_body(message) and not _has_length(start):
                    length = str(len(message.get("body", b""))).encode()
                    start["headers"].append((b"content-length", length))
                await send(start)
            await send(message)

        await app(scope, receive, sized)

    return application


class _Date:
    """The Date header's value now (RFC 9110's IMF-fixdate), formatted when the second changes."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._second = -1
        self._value = b""

    def __call__(self) -> bytes:
        second = int(self._clock())
        if second != self._second:
            self._second, self._value = second, formatdate(second, usegmt=True).encode("ascii")
        return self._value


def _is_whole_body(message: dict[str, Any]) -> bool:
    return message["type"] == "http.response.body" and not message.get("more_body", False)


def _has_length(start: dict[str, Any]) -> bool:
    return any(name.lower() == b"content-length" for name, _ in start["headers"])


def _config(bound: socket.socket) -> Config:
    config = Config()
    config.bind = [f"fd://{bound.fileno()}"]
    config.keep_alive_max_requests = REQUESTS_PER_CONNECTION
    # An idle connection stays open until its client closes it (or rigd stops), as on the gRPC
    # port. With a timeout, Hypercorn cancels and restarts a timer task (and the task that waits
    # under it) around every request, a tenth of the port's own work per unary call. Hypercorn
    # hands the value to asyncio.wait_for, where None is no timeout; its annotation says float.
    config.keep_alive_timeout = None  # type: ignore[assignment]
    config.h2_max_concurrent_streams = STREAMS_PER_CONNECTION
    config.errorlog = log
    config.accesslog = None  # the call path logs every call once
    config.include_server_header = False
    config.include_date_header = False  # with_content_length adds it, formatted once a second
    return config


def _bound(address: str) -> socket.socket:
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit it
        sock.bind((host, int(port)))
        sock.listen(Config.backlog)  # clients may connect before the loop serves: they wait in the backlog
    except OSError as error:
        sock.close()
        raise BindFailed(error.strerror or str(error)) from None
    return sock
