"""Prometheus metrics: per-RPC counts and latencies, event-store and read-model progress.

Each rigd owns its registry (no process-global state), so tests can build several."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ProgressCollector(Collector):
    """Read at scrape time: how far the store and each read model have come."""

    def __init__(self, last_notification: Callable[[], int], read_models: Sequence[str],
                 position: Callable[[str], int], leads: Mapping[str, Callable[[], bool]]) -> None:
        self._last_notification = last_notification
        self._read_models = read_models
        self._position = position
        self._leads = leads

    def collect(self) -> Iterator[GaugeMetricFamily]:
        last = self._last_notification()
        yield GaugeMetricFamily("rigd_event_store_last_notification_id", "Id of the newest recorded event.", last)
        positions = GaugeMetricFamily(
            "rigd_read_model_position", "Last notification id applied to the read model.", labels=["read_model"])
        lag = GaugeMetricFamily(
            "rigd_read_model_lag_events", "Recorded events the read model has not passed yet.", labels=["read_model"])
        for name in self._read_models:
            position = self._position(name)
            positions.add_metric([name], position)
            lag.add_metric([name], max(0, last - position))
        yield positions
        yield lag
        leader = GaugeMetricFamily("rigd_leader", "1 while this process leads the role.", labels=["role"])
        for role, leads in self._leads.items():
            leader.add_metric([role], 1 if leads() else 0)
        yield leader


class RelayCollector(Collector):
    """Read at scrape time: the Kafka relay's position, lag and health."""

    def __init__(self, position: Callable[[], int], lag: Callable[[], int], healthy: Callable[[], bool],
                 leads: Callable[[], bool]) -> None:
        self._position, self._lag, self._healthy, self._leads = position, lag, healthy, leads

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily("rigd_relay_position", "Last notification id the broker acknowledged.",
                                self._position())
        yield GaugeMetricFamily("rigd_relay_lag_events", "Recorded events not yet acknowledged by the broker.",
                                self._lag())
        yield GaugeMetricFamily("rigd_relay_healthy", "1 unless the broker refuses or does not answer.",
                                1 if self._healthy() else 0)
        yield GaugeMetricFamily("rigd_relay_leader", "1 while this process leads the relay.", 1 if self._leads() else 0)


class DeployerCollector(Collector):
    """Read at scrape time: the deployer's position and the work before it."""

    def __init__(self, position: Callable[[], int], queued: Callable[[], int], watched: Callable[[], int],
                 leads: Callable[[], bool]) -> None:
        self._position, self._queued, self._watched, self._leads = position, queued, watched, leads

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily("rigd_deployer_position", "Last notification id the deployer has passed.",
                                self._position())
        yield GaugeMetricFamily("rigd_deployer_queue_events",
                                "Rollout, abort and stop events recorded and not yet handled by the deployer.",
                                self._queued())
        yield GaugeMetricFamily("rigd_deployer_watched_rollouts",
                                "Rollouts whose instances the deployer watches until they are ready.",
                                self._watched())
        yield GaugeMetricFamily("rigd_deployer_leader", "1 while this process leads the deployer.",
                                1 if self._leads() else 0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._requests = Counter(
            "rigd_rpc_requests", "RPCs handled, by method and status code.", ["method", "code"],
            registry=self.registry,
        )
        self._latency = Histogram(
            "rigd_rpc_duration_seconds", "Time to handle an RPC, by method.", ["method"],
            buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self._read_timeouts = Counter(
            "rigd_read_your_writes_timeouts", "Waits for a write to reach a read model that ran out, by read model.",
            ["read_model"], registry=self.registry,
        )
        self._fenced_batches = Counter(
            "rigd_fenced_batches", "Batches rolled back because this process had lost the role's lease, by role.",
            ["role"], registry=self.registry,
        )
        self._open_streams = Gauge(
            "rigd_open_streams", "Streaming calls (capsule Logs and Execute) open now, on every port.",
            registry=self.registry,
        )
        self._server: WSGIServer | None = None

    def observe_rpc(self, method: str, code: str, seconds: float) -> None:
        self._requests.labels(method=method, code=code).inc()
        self._latency.labels(method=method).observe(seconds)

    def set_open_streams(self, count: int) -> None:
        self._open_streams.set(count)

    def count_read_timeout(self, read_model: str) -> None:
        self._read_timeouts.labels(read_model=read_model).inc()

    def count_fenced_batch(self, role: str) -> None:
        self._fenced_batches.labels(role=role).inc()

    def watch_progress(self, collector: ProgressCollector) -> None:
        self.registry.register(collector)

    def serve(self, listen: str) -> int:
        """Serves /metrics over HTTP; returns the port."""
        host, _, port = listen.rpartition(":")
        self._server, _thread = start_http_server(int(port), addr=host, registry=self.registry)
        return int(self._server.server_port)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
