"""The one path every RPC takes, whatever the protocol: parse the request, build the
`Call` (principal, request id, deadline), admit the caller through the gate, run one
servicer method, and map its refusals to a status. Every call is logged once and
counted in the metrics here, so the gRPC and Connect adapters stay thin."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from typing import Any

from google.protobuf.message import DecodeError

from rigd.domain.context import Actor, bounded
from rigd.domain.errors import DomainError
from rigd.services.access import Gate
from rigd.services.calls import Call, CallFailed, Incoming, Status
from rigd.services.errors import database_failure, status_of
from rigd.services.limits import check_request
from rigd.services.logs import request_id
from rigd.services.metrics import Metrics
from rigd.services.rpcs import Rpc, all_rpcs, services
from rigd.services.stream_slots import StreamSlots

log = logging.getLogger("rigd.rpc")

REQUEST_ID_HEADER = "x-request-id"
MAX_REQUEST_ID = 128
# The last line of defence for messages that echo input: gRPC carries the message in a
# trailer of bounded size, and one that overflows it reaches the client as RESOURCE_EXHAUSTED.
MAX_STATUS_MESSAGE = 1024
Handler = Callable[[Any, Call], Any]


class ServicerMismatch(TypeError):
    """A servicer names a method no RPC of its service has (a misspelt RPC would silently
    stay unimplemented), or serves a service the API does not have."""


class Endpoint:
    """One RPC, served by `handler(request, call)` (requests an iterator for client
    streams; the result an iterator for server streams)."""

    def __init__(self, rpc: Rpc, handler: Handler | None, gate: Gate, metrics: Metrics,
                 streams: StreamSlots | None = None) -> None:
        self.rpc = rpc
        self._handler = handler or self._unimplemented
        self._gate = gate
        self._metrics = metrics
        self._streams = streams  # None: streams are not limited (an endpoint on no server)

    def request_id_of(self, incoming: Incoming) -> str:
        given = incoming.headers.get(REQUEST_ID_HEADER, "")
        # A made id only tells calls apart in logs: 128 random bits without a system call
        # (uuid4 reads os.urandom on every call; this runs on the Connect port's event loop).
        return given if 0 < len(given) <= MAX_REQUEST_ID and given.isprintable() else f"{random.getrandbits(128):032x}"

    def unary(self, data: bytes | Iterable[bytes], incoming: Incoming, rid: str) -> Any:
        """The response to a call with a single response; raises CallFailed."""
        with self._observed(rid) as started:
            request, call = self._admit(data, incoming, rid, started)
            with _bounded(call):
                return self._handler(request, call)

    def stream(self, data: bytes | Iterable[bytes], incoming: Incoming, rid: str) -> Iterator[Any]:
        """The responses of a server-streaming call; raises CallFailed."""
        with self._observed(rid) as started, ExitStack() as held:
            request, call = self._admit(data, incoming, rid, started, held)
            with _bounded(call):
                yield from self._handler(request, call)

    def _admit(self, data: bytes | Iterable[bytes], incoming: Incoming, rid: str, started: float,
               held: ExitStack | None = None) -> tuple[Any, Call]:
        """The parsed request and its Call, once the caller is known and allowed, in that
        order: who calls, then what the request is, then whether it may be done. A stream
        (`held`) takes one of the stream slots once its caller is known, before it reads its
        first message, and holds it in `held`."""
        principal = self._gate.authenticate(self.rpc, incoming.headers)
        if held is not None and self._streams is not None:
            held.enter_context(self._streams.slot())
        request = self._parse(data)
        if self.rpc.client_streams:
            request = self._authorized_stream(principal, request)
        else:
            self._gate.authorize(principal, self.rpc, request)
        deadline = None if incoming.timeout is None else started + incoming.timeout
        call = Call(self.rpc.path, principal, rid, deadline, incoming.is_active)
        if call.expired():  # the client has given up: doing the work now would surprise it later
            raise CallFailed(Status.DEADLINE_EXCEEDED, "the deadline passed before the call started")
        return request, call

    def _authorized_stream(self, principal: Actor, requests: Iterator[Any]) -> Iterator[Any]:
        """A client stream whose every message is authorized before the servicer sees it: the
        first one now, before the servicer runs (every message of such a stream says what it
        is about, e.g. capsule Execute's project and environment); None if the stream is empty."""
        first = next(requests, None)
        self._gate.authorize(principal, self.rpc, first)

        def rest() -> Iterator[Any]:
            if first is None:
                return
            yield first
            for request in requests:
                self._gate.authorize(principal, self.rpc, request)
                yield request

        return rest()

    def _parse(self, data: bytes | Iterable[bytes]) -> Any:
        if isinstance(data, bytes):
            return self._parse_one(data)
        return (self._parse_one(raw) for raw in data)

    def _parse_one(self, raw: bytes) -> Any:
        """One request message, refused before any work if it breaks a limit (services/limits.py)."""
        try:
            request = self.rpc.request_class.FromString(raw)
        except DecodeError:
            raise CallFailed(
                Status.INVALID_ARGUMENT, f"the request is not a valid {self.rpc.method.input_type.full_name} message"
            ) from None
        check_request(request)
        return request

    def _unimplemented(self, _request: Any, _call: Call) -> Any:
        raise CallFailed(Status.UNIMPLEMENTED, f"{self.rpc.path} is not implemented yet in rigd")

    @contextmanager
    def _observed(self, rid: str) -> Iterator[float]:
        """Maps whatever ends the call to a status, and logs and counts it once."""
        started = time.monotonic()
        token = request_id.set(rid)
        status = Status.OK
        try:
            yield started
        except CallFailed as failure:
            status = failure.status
            if len(failure.message) <= MAX_STATUS_MESSAGE:
                raise
            raise CallFailed(status, _shortened(failure.message)) from None
        except GeneratorExit:  # a streaming client went away
            status = Status.CANCELLED
            raise
        except DomainError as error:
            status = status_of(error)
            raise CallFailed(status, _shortened(error.message)) from None
        except Exception:
            status = Status.INTERNAL
            log.exception("%s failed", self.rpc.path, extra={"rpc": self.rpc.path, "code": status.name})
            raise CallFailed(status, f"internal error (request id {rid})") from None
        finally:
            self._finish(started, status)
            request_id.reset(token)

    def _finish(self, started: float, status: Status) -> None:
        seconds = time.monotonic() - started
        self._metrics.observe_rpc(self.rpc.path, status.name, seconds)
        log.info("%s %s", self.rpc.path, status.name,
                 extra={"rpc": self.rpc.path, "code": status.name, "duration_ms": round(seconds * 1000, 2)})


@contextmanager
def _bounded(call: Call) -> Iterator[None]:
    """The call's work runs within its bounds (database waits end with its deadline), and a
    database it cannot reach is UNAVAILABLE (or DEADLINE_EXCEEDED, if its deadline ended the wait)."""
    try:
        with bounded(call.bounds):
            yield
    except Exception as error:
        failure = database_failure(error, call.expired())
        if failure is None:
            raise
        raise failure from None


def _shortened(message: str) -> str:
    if len(message) <= MAX_STATUS_MESSAGE:
        return message
    return message[:MAX_STATUS_MESSAGE - 1] + "…"


def endpoints(servicers: Mapping[str, object], gate: Gate, metrics: Metrics,
              streams: StreamSlots | None = None) -> list[Endpoint]:
    """An endpoint for every RPC of the API; `servicers` maps a service's full name to an
    object whose public methods are named like the RPCs they serve. Streaming calls share
    `streams` (see services.stream_slots)."""
    check_servicers(servicers)
    return [
        Endpoint(rpc, getattr(servicers.get(rpc.service), rpc.name, None), gate, metrics, streams)
        for rpc in all_rpcs()
    ]


def check_servicers(servicers: Mapping[str, object]) -> None:
    known = {service.full_name: {method.name for method in service.methods} for service in services()}
    for name, servicer in servicers.items():
        if name not in known:
            raise ServicerMismatch(f"{type(servicer).__name__} serves {name!r}, which is not a service of the API")
        for attribute in dir(servicer):
            if attribute.startswith("_") or not callable(getattr(servicer, attribute)):
                continue
            if attribute not in known[name]:
                raise ServicerMismatch(
                    f"{type(servicer).__name__}.{attribute} matches no RPC of {name} "
                    f"(its RPCs: {', '.join(sorted(known[name]))})"
                )
