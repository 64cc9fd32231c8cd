"""What the standard gRPC health service answers, and the probe behind it.

A monitor thread asks the event store's database a cheap question about once a second
(a fresh probe connection, never a pooled one, bounded by a short timeout). While it gets
no answer, every service is NOT_SERVING and the pools fail fast instead of queueing calls
(adapters.postgres_pools.Reachability); the first answer turns them back, so health says
SERVING again within about a second of the database's return. The outage is logged once
as a warning and its end once as an info line.

Readiness: after a (re)start rigd is NOT_SERVING until every read model has reached the
store's last notification id as of start-up (so a List does not answer from a read model
far behind). Afterwards a read model whose lag (the store's last notification id less its
position) stays over `LAG_LIMIT` events for `LAG_GRACE_SECONDS` makes rigd NOT_SERVING
until it is back under the limit: a short burst of writes does not, a stuck projector does.

The health service runs on threads of its own (`health_handler`), so it answers even when
every RPC worker is held by a call."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from concurrent import futures
from contextlib import closing
from typing import Any

import grpc
import psycopg
from grpc_health.v1 import health, health_pb2

from rigd.adapters.event_store_settings import postgres_conninfo
from rigd.domain.context import Bounds, bounded
from rigd.services.composition import Rigd, events_path

log = logging.getLogger(__name__)

PROBE_INTERVAL_SECONDS = 1.0
NOT_SERVING_INTERVAL_SECONDS = 0.25  # while not serving, look more often: coming back is what matters
PROBE_TIMEOUT_SECONDS = 2.0  # libpq's smallest connect_timeout
READINESS_WAIT_SECONDS = 1.0  # the longest a readiness question waits for a pooled connection
LAG_LIMIT = 1000  # events
LAG_GRACE_SECONDS = 10.0
HEALTH_THREADS = 4
RELAY_SERVICE = "rigd.relay"  # the health service name under which the Kafka relay answers

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


def health_handler(servicer: health.HealthServicer, pool: futures.ThreadPoolExecutor) -> grpc.GenericRpcHandler:
    """grpc.health.v1.Health served by `servicer` on `pool`'s threads, not on the RPC workers."""

    def check(request: Any, context: grpc.ServicerContext) -> Any:
        return servicer.Check(request, context)

    check.experimental_thread_pool = pool  # type: ignore[attr-defined]  # grpc reads it per behaviour
    request = health_pb2.HealthCheckRequest.FromString
    response = health_pb2.HealthCheckResponse.SerializeToString
    return grpc.method_handlers_generic_handler("grpc.health.v1.Health", {
        "Check": grpc.unary_unary_rpc_method_handler(check, request, response),
        "Watch": grpc.unary_stream_rpc_method_handler(servicer.Watch, request, response),
    })


class StoreProbe:
    """One cheap question to the event store's database, on a connection of its own."""

    def __init__(self, rigd: Rigd) -> None:
        self._settings = rigd.settings

    def __call__(self) -> None:
        """Returns if the database answered; raises otherwise."""
        if self._settings.uses_postgres:
            conninfo = postgres_conninfo(self._settings.database_url)
            with psycopg.connect(conninfo, connect_timeout=int(PROBE_TIMEOUT_SECONDS), autocommit=True) as connection:
                connection.execute("SELECT 1")
        else:
            with closing(sqlite3.connect(events_path(self._settings), timeout=PROBE_TIMEOUT_SECONDS)) as connection:
                connection.execute("SELECT 1").fetchone()


class HealthMonitor:
    """Keeps the health service's answers (for `services` and the server as a whole) true."""

    def __init__(
        self, rigd: Rigd, servicer: health.HealthServicer, services: Iterable[str],
        probe: Callable[[], None] | None = None,
    ) -> None:
        self._rigd = rigd
        self._servicer = servicer
        self._services = ["", *services]
        self._probe = probe or StoreProbe(rigd)
        self._prober = futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="health-probe")
        self._pending: futures.Future[None] | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="health-monitor", daemon=True)
        self._outage_since: float | None = None
        self._start_up_target: int | None = None  # the store's last id when rigd started
        self._caught_up = False
        self._lagging_since: float | None = None
        self._status: int | None = None
        self._relay_status: int | None = None
        self.set_all(NOT_SERVING)

    def start(self) -> None:
        self._round()  # health answers from the first moment with what is known
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._prober.shutdown(wait=False, cancel_futures=True)

    @property
    def serving(self) -> bool:
        """What the health service answers for the server as a whole, as a yes or no."""
        return self._status == SERVING

    def set_all(self, status: int) -> None:
        if status != self._status:
            self._status = status
            for name in self._services:
                self._servicer.set(name, status)

    def _run(self) -> None:
        while not self._stopping.wait(
                PROBE_INTERVAL_SECONDS if self._status == SERVING else NOT_SERVING_INTERVAL_SECONDS):
            self._round()

    def _round(self) -> None:
        reachable = self._reachable()
        self.set_all(SERVING if reachable and self._ready() else NOT_SERVING)
        self._report_relay()

    def _report_relay(self) -> None:
        """The Kafka relay answers as a service of its own (`rigd.relay`): a broker that is
        away stops events reaching Kafka, not the API, so it does not change the rest."""
        relay = self._rigd.relay
        if relay is None or "relay" not in self._rigd.started_roles:
            return
        status = SERVING if relay.healthy() else NOT_SERVING
        if status != self._relay_status:
            self._relay_status = status
            self._servicer.set(RELAY_SERVICE, status)
            if status == NOT_SERVING:
                log.warning("the Kafka relay is not delivering (its broker refuses or does not answer)")
            else:
                log.info("the Kafka relay is delivering again")

    def _reachable(self) -> bool:
        """Asks the probe, on a thread of its own so that a database that hangs cannot hold
        the monitor; a probe still waiting from before counts as no answer."""
        if self._pending is None or self._pending.done():
            self._pending = self._prober.submit(self._probe)
        try:
            self._pending.result(timeout=PROBE_TIMEOUT_SECONDS + 0.5)
        except Exception as error:  # any failure of the probe means: not reachable
            self._went_down(_reason(error))
            return False
        self._came_back()
        return True

    def _went_down(self, reason: str) -> None:
        self._rigd.reachability.mark_down(reason)
        if self._outage_since is None:
            self._outage_since = time.monotonic()
            log.warning("the event store is unreachable (%s); answering UNAVAILABLE until it is back", reason)

    def _came_back(self) -> None:
        self._rigd.reachability.mark_up()
        if self._outage_since is not None:
            log.info("the event store is reachable again after %.1f s", time.monotonic() - self._outage_since)
            self._outage_since = None

    def _ready(self) -> bool:
        """The readiness rule of the module docstring; False when it cannot be told."""
        try:
            with bounded(Bounds(deadline=time.monotonic() + READINESS_WAIT_SECONDS)):
                last = self._rigd.store.max_notification_id()
                positions = {name: self._rigd.projector.position(name) for name in self._rigd.projector.names}
        except Exception:  # the database went away between probe and question
            return False
        if self._start_up_target is None:
            self._start_up_target = last
        if not self._caught_up:
            self._caught_up = all(position >= self._start_up_target for position in positions.values())
            return self._caught_up
        lagging = [name for name, position in positions.items() if last - position > LAG_LIMIT]
        if not lagging:
            self._lagging_since = None
            return True
        now = time.monotonic()
        if self._lagging_since is None:
            self._lagging_since = now
        if now - self._lagging_since < LAG_GRACE_SECONDS:
            return True
        if self._status == SERVING:
            log.warning("read model %s is more than %s events behind for %.0f s; not ready",
                        ", ".join(lagging), LAG_LIMIT, now - self._lagging_since)
        return False


def _reason(error: BaseException) -> str:
    """A short reason for the log: the first line of the driver's message (libpq's names
    host and port, never the password), or the kind of failure."""
    if isinstance(error, futures.TimeoutError):
        return f"no answer within {PROBE_TIMEOUT_SECONDS:.0f} s"
    first = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    return first or type(error).__name__
