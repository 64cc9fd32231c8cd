"""The gRPC api role: every service, reflection and health, stopped cleanly on SIGTERM."""

from __future__ import annotations

import logging
import signal
import socket
import threading
from collections.abc import Iterable
from concurrent import futures
from types import FrameType

import grpc
from grpc_health.v1 import health, health_pb2

from rigd.services.api import servicers
from rigd.services.call_path import endpoints
from rigd.services.composition import ROLES, Rigd
from rigd.services.connect_server import BindFailed, ConnectServer
from rigd.services.grpc_api import generic_handlers
from rigd.services.health import HEALTH_THREADS, HealthMonitor, health_handler
from rigd.services.limits import MAX_REQUEST_BYTES
from rigd.services.reflection import enable_reflection
from rigd.services.rpcs import service_names
from rigd.services.stream_slots import StreamSlots

log = logging.getLogger(__name__)


class ListenError(OSError):
    """An address from the configuration cannot be listened on."""

    def __init__(self, setting: str, address: str, reason: str) -> None:
        super().__init__(f"setting {setting!r}: cannot listen on {address}: {reason}")


def check_bindable(setting: str, address: str) -> None:
    """Fails with a clear ListenError if nothing could listen on `address` now."""
    host, _, port = address.rpartition(":")
    try:
        family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), int(port)))
    except OSError as error:
        raise ListenError(setting, address, error.strerror or str(error)) from None


class ApiServer:
    """gRPC on `listen`, and the Connect protocol on `connect_listen` (empty: none), over the
    same endpoints. Both default to the settings; a caller that names the gRPC address names
    the Connect one too (tests on free ports must not all reach for the default port)."""

    def __init__(self, rigd: Rigd, listen: str | None = None, connect_listen: str | None = None) -> None:
        self._rigd = rigd
        # Without SO_REUSEPORT a second rigd on the same port fails to start instead of
        # silently sharing the port (and its clients) with the first. The receive limit is
        # gRPC's default, set here so that it is a decision (the README's limits table).
        self._server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=rigd.settings.workers, thread_name_prefix="rpc"),
            options=[("grpc.so_reuseport", 0), ("grpc.max_receive_message_length", MAX_REQUEST_BYTES)],
        )
        streams = StreamSlots(rigd.settings.stream_limit, rigd.metrics.set_open_streams)
        served = endpoints(servicers(rigd), rigd.gate, rigd.metrics, streams)
        self._server.add_generic_rpc_handlers(generic_handlers(served))
        # Health runs on threads of its own: it must answer while calls hold every RPC worker.
        self._health_threads = futures.ThreadPoolExecutor(max_workers=HEALTH_THREADS, thread_name_prefix="health")
        self._health = health.HealthServicer(experimental_thread_pool=self._health_threads)
        self._server.add_generic_rpc_handlers((health_handler(self._health, self._health_threads),))
        self._monitor = HealthMonitor(rigd, self._health, service_names())
        enable_reflection(self._server, [*service_names(), health_pb2.DESCRIPTOR.services_by_name["Health"].full_name])
        address = listen or rigd.settings.listen
        check_bindable("listen", address)
        try:
            self.port = self._server.add_insecure_port(address)
        except RuntimeError as error:  # grpc's way of saying the address cannot be bound
            raise ListenError("listen", address, str(error)) from None
        if self.port == 0:
            raise ListenError("listen", address, "the address cannot be bound")
        self.address = f"{address.rpartition(':')[0]}:{self.port}"
        if connect_listen is None:
            connect_listen = rigd.settings.connect_listen if listen is None else ""
        self.connect: ConnectServer | None = None
        if connect_listen:
            try:
                monitor = self._monitor
                self.connect = ConnectServer(served, connect_listen, lambda: monitor.serving, rigd.settings.workers)
            except BindFailed as error:
                raise ListenError("connect_listen", connect_listen, error.reason) from None

    def start(self) -> None:
        self._server.start()
        if self.connect is not None:
            self.connect.start()
        self._monitor.start()

    def stop(self, grace: float = 5.0) -> None:
        self._monitor.stop()
        self._health.enter_graceful_shutdown()
        stopped = self._server.stop(grace)
        if self.connect is not None:
            self.connect.stop(grace)
        stopped.wait()
        self._health_threads.shutdown(wait=False)


def serve(rigd: Rigd, roles: Iterable[str] = ROLES) -> None:
    """Runs `roles` until SIGTERM or SIGINT, then drains in-flight calls, stops the followers
    and closes `rigd`. Raises ListenError, having served nothing, when an address cannot be
    bound. Without the api role nothing listens but the metrics endpoint."""
    stopping = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s, shutting down", signal.Signals(signum).name)
        stopping.set()

    roles = tuple(roles)
    try:
        server = ApiServer(rigd) if "api" in roles else None
        _serve_metrics(rigd)
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        rigd.start(roles)
        if server is not None:
            server.start()
            log.info("rigd serving gRPC on %s", server.address)
            if server.connect is not None:
                log.info("rigd serving Connect on http://%s", server.connect.address)
        log.info("rigd running roles: %s", ", ".join(role for role in ROLES if role in roles))
        stopping.wait()
        if server is not None:
            server.stop()
    finally:
        rigd.close()
    log.info("rigd stopped")


def _serve_metrics(rigd: Rigd) -> None:
    listen = rigd.settings.metrics_listen
    if not listen:
        return
    check_bindable("metrics_listen", listen)
    try:
        port = rigd.metrics.serve(listen)
    except OSError as error:
        raise ListenError("metrics_listen", listen, error.strerror or str(error)) from None
    log.info("rigd serving metrics on http://%s:%s/metrics", listen.rpartition(":")[0], port)
