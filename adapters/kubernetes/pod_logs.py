"""Instance logs from the pod log endpoint (`GET .../pods/<pod>/log`), with the API server's
timestamps, for the capsule's main container.

The endpoint merges a container's stdout and stderr into one stream, so every line is
reported as stdout. Without `follow`, the pods are read one after the other; with `follow`,
each pod is read by a thread of its own into one queue, and a pod's stream that ends before
`close()` (its container ended) gives a `TERMINATION` line."""

from __future__ import annotations

import logging
import math
import queue
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

from kubernetes.client.rest import RESTResponse

from rigd.adapters.kubernetes.cluster_api import POD, KubeApi, Query
from rigd.adapters.kubernetes.pods import timestamp
from rigd.domain.cluster_driver import ClusterUnavailable, LogLine, LogSelection, LogStream

log = logging.getLogger(__name__)
_ENDED = object()


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
        digits = "".join(c for c in tail if c.isdigit())
        text = f"{head}.{digits[:6]}{tail[len(digits):]}"
    try:
        return timestamp(text)
    except ValueError:
        return None


class PodLogFeed:
    """The `LogFeed` of the port over the log streams of `pods`."""

    def __init__(self, api: KubeApi, namespace: str, pods: list[str], container: str,
                 selection: LogSelection) -> None:
        self._api = api
        self._paths = {pod: f"{POD.item(namespace, pod)}/log" for pod in pods}
        self._query = log_query(container, selection)
        self._follow = selection.follow
        self._closed = threading.Event()
        self._open: set[RESTResponse] = set()
        self._lock = threading.Lock()
        self._lines: queue.Queue[object] = queue.Queue()

    def __iter__(self) -> Iterator[LogLine]:
        if not self._follow:
            for pod in self._paths:
                yield from self._read(pod)
            return
        readers = [threading.Thread(target=self._pump, args=(pod,), daemon=True, name=f"logs-{pod}")
                   for pod in self._paths]
        for reader in readers:
            reader.start()
        running = len(readers)
        while running and not self._closed.is_set():
            item = self._lines.get()
            if item is _ENDED:
                running -= 1
            elif isinstance(item, LogLine):
                yield item

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            responses = list(self._open)
        for response in responses:
            response.response.shutdown()  # unblocks a reader waiting on the socket
        self._lines.put(_ENDED)

    def _read(self, pod: str) -> Iterator[LogLine]:
        try:
            response = self._api.open("GET", self._paths[pod], self._query, stream=True)
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

    def _pump(self, pod: str) -> None:
        try:
            for line in self._read(pod):
                self._lines.put(line)
            if not self._closed.is_set():
                self._lines.put(LogLine(datetime.now(UTC), pod, LogStream.TERMINATION, b""))
        except Exception:  # a pod whose log cannot be read ends its part of the feed, not the others'
            log.warning("the log of pod %s could not be read", pod, exc_info=True)
        finally:
            self._lines.put(_ENDED)
