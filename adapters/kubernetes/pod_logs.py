"""Instance logs from the pod log endpoint (`GET .../pods/<pod>/log`), with the API server's
timestamps, for the capsule's main container.

The endpoint merges a container's stdout and stderr into one stream, so every line is
reported as stdout. A followed container's stream that ends before `close()` (the container
ended) gives a `TERMINATION` line."""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from kubernetes.client.rest import RESTResponse

from rigd.adapters.kubernetes.cluster_api import POD, ApiError, KubeApi, Query
from rigd.adapters.kubernetes.pods import timestamp
from rigd.domain.cluster_driver import ClusterUnavailable, LogLine, LogSelection, LogStream

log = logging.getLogger(__name__)


def log_query(container: str, selection: LogSelection) -> Query:
    query = [("container", container), ("timestamps", "true")]
    if selection.follow:
        query.append(("follow", "true"))
    if selection.previous:
        query.append(("previous", "true"))
    if selection.since is not None:
        query.append(("sinceSeconds", str(max(1, math.ceil(selection.since.total_seconds())))))
    return query


def parse_line(instance_id: str, raw: bytes) -> LogLine:
    """`<RFC 3339 time with nanoseconds> <text>`; a line without a time is stamped now."""
    stamp, _, rest = raw.partition(b" ")
    when = _nanosecond_time(stamp.decode("ascii", "replace"))
    if when is None:
        return LogLine(datetime.now(UTC), instance_id, LogStream.STDOUT, raw)
    return LogLine(when, instance_id, LogStream.STDOUT, rest)


def _nanosecond_time(text: str) -> datetime | None:
    head, dot, tail = text.partition(".")
    if dot:  # Python reads at most microseconds
        digits = len(tail) - len(tail.lstrip("0123456789"))  # the fraction, before any zone
        text = f"{head}.{tail[:min(digits, 6)]}{tail[digits:]}"
    try:
        return timestamp(text)
    except ValueError:
        return None


Container = tuple[str, int]
"""A pod's current container: the pod's name and its restart count (a new count, a new container)."""


@dataclass(frozen=True)
class _Ended:
    container: Container
    failed: bool  # the log could not be read (e.g. the container waits to start): try it again


class PodLogFeed:
    """The `LogFeed` of the port over the log streams of the containers `containers()` names.

    Without `follow`, each container's log is read once, one after the other. With `follow`,
    each container is read by a thread of its own, and `containers()` is asked again every
    `poll` seconds, so instances that start later, and new containers of restarted ones, are
    followed too; the feed ends only at `close()`. `since` applies to the containers that exist
    when the feed starts; later ones are read from their start."""

    def __init__(self, api: KubeApi, namespace: str, containers: Callable[[], list[Container]], container: str,
                 selection: LogSelection, poll: float = 2.0) -> None:
        self._api = api
        self._namespace = namespace
        self._containers = containers
        self._selection = selection
        self._container_name = container
        self._poll = poll
        self._closed = threading.Event()
        self._open: set[RESTResponse] = set()
        self._lock = threading.Lock()
        self._lines: queue.Queue[object] = queue.Queue()

    def __iter__(self) -> Iterator[LogLine]:
        if not self._selection.follow:
            for pod, _ in self._containers():
                yield from self._read_once(pod)
            return
        started: set[Container] = set()
        first = True
        while not self._closed.is_set():
            self._start_readers(started, first)
            first = False
            yield from self._drain(started)

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            responses = list(self._open)
        for response in responses:
            response.response.shutdown()  # unblocks a reader waiting on the socket
        self._lines.put(None)

    def _start_readers(self, started: set[Container], first: bool) -> None:
        try:
            current = self._containers()
        except ClusterUnavailable:
            log.warning("listing the pods whose logs are followed failed; trying again", exc_info=True)
            return
        # later containers are read from their start
        selection = self._selection if first else replace(self._selection, since=None)
        for container in current:
            if container not in started:
                started.add(container)
                threading.Thread(target=self._pump, args=(container, selection), daemon=True,
                                 name=f"logs-{container[0]}").start()

    def _drain(self, started: set[Container]) -> Iterator[LogLine]:
        """The lines that arrive within one poll period."""
        deadline = time.monotonic() + self._poll
        while not self._closed.is_set():
            try:
                item = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return
            if isinstance(item, LogLine):
                yield item
            elif isinstance(item, _Ended) and item.failed:
                started.discard(item.container)

    def _read_once(self, pod: str) -> Iterator[LogLine]:
        """A pod's log as it is; none while its container waits to start (400)."""
        try:
            yield from self._read(pod, self._selection)
        except ApiError as error:
            if error.status != 400:
                raise ClusterUnavailable(f"the log of pod {pod} cannot be read: {error}") from None

    def _read(self, pod: str, selection: LogSelection) -> Iterator[LogLine]:
        path = f"{POD.item(self._namespace, pod)}/log"
        try:
            response = self._api.open("GET", path, log_query(self._container_name, selection), stream=True)
        except ClusterUnavailable:
            if self._closed.is_set():
                return
            raise
        with self._lock:
            self._open.add(response)
        try:
            for raw in response.response:
                if self._closed.is_set():
                    return
                yield parse_line(pod, raw.rstrip(b"\n"))
        except Exception:  # a stream cut by close(), or by the server: the feed ends here
            if not self._closed.is_set():
                raise
        finally:
            with self._lock:
                self._open.discard(response)
            response.response.release_conn()

    def _pump(self, container: Container, selection: LogSelection) -> None:
        pod = container[0]
        failed = False
        try:
            for line in self._read(pod, selection):
                self._lines.put(line)
            if not self._closed.is_set():
                self._lines.put(LogLine(datetime.now(UTC), pod, LogStream.TERMINATION, b""))
        except ApiError as error:  # e.g. 400: the container waits to start
            failed = True
            log.debug("the log of pod %s cannot be read yet: %s", pod, error)
        except Exception:  # a pod whose log cannot be read ends its part of the feed, not the others'
            failed = True
            log.warning("the log of pod %s could not be read", pod, exc_info=True)
        finally:
            self._lines.put(_Ended(container, failed))
