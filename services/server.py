"""The gRPC api role: every service, reflection and health, stopped cleanly on SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading
from concurrent import futures
from types import FrameType

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from services.clusters import SERVICE as CLUSTER_SERVICE
from services.clusters import ClusterServicer
from services.composition import Rigd
from services.environments import SERVICE as ENVIRONMENT_SERVICE
from services.environments import EnvironmentServicer
from services.project_settings import SERVICE as PROJECT_SETTINGS_SERVICE
from services.project_settings import ProjectSettingsServicer
from services.projects import SERVICE as PROJECT_SERVICE
from services.projects import ProjectServicer
from services.rpcs import generic_handlers, service_names

log = logging.getLogger(__name__)


class ApiServer:
    def __init__(self, rigd: Rigd, listen: str | None = None) -> None:
        self._rigd = rigd
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=rigd.settings.workers,
                                                              thread_name_prefix="rpc"))
        servicers = {
            PROJECT_SERVICE: ProjectServicer(rigd),
            PROJECT_SETTINGS_SERVICE: ProjectSettingsServicer(),
            ENVIRONMENT_SERVICE: EnvironmentServicer(rigd),
            CLUSTER_SERVICE: ClusterServicer(rigd),
        }
        self._server.add_generic_rpc_handlers(generic_handlers(servicers))
        self._health = health.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self._health, self._server)
        names = [*service_names(), health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
                 reflection.SERVICE_NAME]
        reflection.enable_server_reflection(names, self._server)
        address = listen or rigd.settings.listen
        self.port = self._server.add_insecure_port(address)
        if self.port == 0:
            raise OSError(f"cannot listen on {address}")
        self.address = f"{address.rpartition(':')[0]}:{self.port}"

    def start(self) -> None:
        self._server.start()
        for name in ["", *service_names()]:
            self._health.set(name, health_pb2.HealthCheckResponse.SERVING)

    def stop(self, grace: float = 5.0) -> None:
        self._health.enter_graceful_shutdown()
        self._server.stop(grace).wait()


def serve(rigd: Rigd) -> None:
    """Runs until SIGTERM or SIGINT, then drains in-flight calls and stops the followers."""
    stopping = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s, shutting down", signal.Signals(signum).name)
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    rigd.start()
    server = ApiServer(rigd)
    server.start()
    log.info("rigd serving gRPC on %s", server.address)
    try:
        stopping.wait()
    finally:
        server.stop()
        rigd.close()
        log.info("rigd stopped")
