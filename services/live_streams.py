"""What the streaming live RPCs (Logs, Execute) need beyond request -> call -> response:
ending the driver's feed or command when the client goes, and feeding a command the client's
later messages while its output streams back."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rigd.domain.cluster_driver import ExecSession, TerminalSize
from rigd.domain.context import Cancelled, DeadlineExceeded
from rigd.domain.errors import DomainError, InvalidArgument
from rigd.proto.api.v1.capsule import service_pb2 as pb
from rigd.services.calls import Call, CallFailed

# How often a stream asks whether its client is still there. The call knows only `is_active`
# (a question, not a notice), and a followed log or a quiet command blocks without one.
WATCH_SECONDS = 0.25


class Closable(Protocol):
    def close(self) -> None: ...


@contextmanager
def closed_when_gone(resource: Closable, call: Call) -> Iterator[None]:
    """Closes `resource` (a followed log feed, a running command) when the client goes away
    or the call's deadline passes, and in any case when the block ends. A block that ended
    because it was closed so ends the call as CANCELLED or DEADLINE_EXCEEDED (in its log
    line and metrics; the client has gone either way)."""
    done = threading.Event()

    def watch() -> None:
        while not done.wait(WATCH_SECONDS):
            if call.cancelled() or call.expired():
                resource.close()
                return

    watcher = threading.Thread(target=watch, name="stream-watch", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        resource.close()
    if call.cancelled():
        raise Cancelled("the client went away")
    if call.expired():
        raise DeadlineExceeded("the deadline passed")


def terminal_size(resize: pb.ExecuteRequest.Resize) -> TerminalSize:
    return TerminalSize(rows=resize.height, columns=resize.width)


class StdinPump:
    """Feeds a command the client's messages after the start: stdin data (`closed` closes
    its stdin) and terminal resizes. Runs on a thread of its own (the call's context copied)
    while the call's thread streams the output. A refused message (a second start, or one
    the caller may not send) ends the command; `raise_failure` then raises the refusal."""

    def __init__(self, requests: Iterator[pb.ExecuteRequest], session: ExecSession) -> None:
        self._requests = requests
        self._session = session
        self._failure: DomainError | CallFailed | None = None
        self._stopped = threading.Event()
        context = contextvars.copy_context()
        self._thread = threading.Thread(target=context.run, args=(self._run,), name="exec-stdin", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """The call has ended: whatever the client still sends is dropped."""
        self._stopped.set()

    def raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def _run(self) -> None:
        try:
            for request in self._requests:
                if self._stopped.is_set():
                    return
                self._apply(request)
            if not self._stopped.is_set():
                self._session.close_stdin()  # the client will send nothing more
        except (DomainError, CallFailed) as failure:
            self._failure = failure
            self._session.close()
        except Exception:  # the transport ended the client's stream with the call
            return

    def _apply(self, request: pb.ExecuteRequest) -> None:
        kind = request.WhichOneof("request")
        if kind == "stdin":
            if request.stdin.data:
                self._session.send(request.stdin.data)
            if request.stdin.closed:
                self._session.close_stdin()
        elif kind == "resize":
            self._session.resize(terminal_size(request.resize))
        elif kind == "start":
            raise InvalidArgument("Execute takes one start message, the first")
