"""The Connect adapter of the call path: the applications `protoc-gen-connectrpc` generated
for the API's services (proto/api/v1/*/service_connect.py, one ASGI application per service,
over the google.protobuf message classes), plus `GET /api/v1/status`.

The library speaks the wire (Connect unary and enveloped streams, its error bodies and
HTTP statuses, `Connect-Timeout-Ms`, compression, and the gRPC protocol on the same
port). Each generated application is given one forwarding implementation built from the
catalog (services/rpcs.py): every method, named as the generated code names it, sends its
RPC through the same `Endpoint` as over gRPC, so there is one implementation of each RPC
whatever the protocol. The call path blocks on the database, so a call runs on a thread of
our pool, except a unary call of an RPC whose typical run is lately quick, which runs on the
event loop itself (services/connect_pacing.py).

The codecs hand the call path the request's protobuf bytes (JSON is converted first), so
it parses, limits and refuses a request the same way whatever the protocol."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import importlib
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping, Sequence
from concurrent import futures
from types import ModuleType, SimpleNamespace
from typing import Any, cast

from connectrpc.code import Code
from connectrpc.errors import ConnectError
from connectrpc.request import RequestContext
from google.protobuf import json_format

from rigd.services.call_path import REQUEST_ID_HEADER, Endpoint
from rigd.services.calls import CallFailed, Incoming, Status
from rigd.services.connect_pacing import Pacing
from rigd.services.limits import MAX_REQUEST_BYTES
from rigd.services.rpcs import SERVICE_MODULES

STATUS_PATH = "/api/v1/status"
# Connect spells one code differently from gRPC; the others are the lower-case names.
_CODES: dict[Status, Code] = {
    status: Code.CANCELED if status is Status.CANCELLED else Code(status.name.lower())
    for status in Status if status is not Status.OK
}
_END = object()
# connect-go's words: a full-duplex stream cannot run over HTTP/1.1's one-way-at-a-time body.
NEEDS_HTTP2 = "bidi streams require at least HTTP/2"
# The request's HTTP version ("1.1", "2"), set where the request enters (`with_status`).
_HTTP_VERSION: contextvars.ContextVar[str] = contextvars.ContextVar("http_version", default="2")

Asgi = Callable[[Any, Any, Any], Awaitable[None]]


class ProtoBytesCodec:
    """`application/proto`: the request stays bytes for the call path to parse."""

    def name(self) -> str:
        return "proto"

    def encode(self, message: Any) -> bytes:
        return bytes(message.SerializeToString())

    def decode(self, data: bytes | bytearray, message_class: type[Any]) -> bytes:
        return bytes(data)


class JsonCodec:
    """`application/json`: protobuf's JSON mapping, lowerCamelCase field names out, both
    spellings in (google.protobuf.json_format); unknown fields are ignored, as connect-go does."""

    def name(self) -> str:
        return "json"

    def encode(self, message: Any) -> bytes:
        return json_format.MessageToJson(message, indent=None).encode()

    def decode(self, data: bytes | bytearray, message_class: type[Any]) -> bytes:
        message = json_format.Parse(bytes(data), message_class(), ignore_unknown_fields=True)
        return bytes(message.SerializeToString())


class GeneratedMismatch(TypeError):
    """The generated Connect code does not name a service's RPCs as the catalog does (stale
    generated code, or a plugin that names methods differently): start-up stops."""


def connect_application(endpoints: Sequence[Endpoint], pool: futures.Executor) -> Asgi:
    """The generated application of every service of `endpoints`, each forwarding its RPCs to
    their endpoints, behind one router by service path (Connect and gRPC alike)."""
    by_service: dict[str, list[Endpoint]] = {}
    for endpoint in endpoints:
        by_service.setdefault(endpoint.rpc.service, []).append(endpoint)
    generated = _generated_modules()
    pacing = Pacing()
    applications = {
        f"/{service}": _generated_application(generated[service], served, pool, pacing)
        for service, served in by_service.items()
    }
    return _by_service(applications)


def _generated_modules() -> dict[str, ModuleType]:
    """Each service's generated Connect module, the `_connect` beside its `_pb2` module."""
    return {
        module.DESCRIPTOR.services_by_name["Service"].full_name:
            importlib.import_module(module.__name__.removesuffix("_pb2") + "_connect")
        for module in SERVICE_MODULES
    }


def _generated_application(
    module: ModuleType, endpoints: Sequence[Endpoint], pool: futures.Executor, pacing: Pacing,
) -> Asgi:
    """`module`'s ASGI application over a forwarding implementation of its service."""
    methods = {method_name(endpoint.rpc.name): _handler(endpoint, pool, pacing) for endpoint in endpoints}
    generated = {name for name, value in vars(module.Service).items() if not name.startswith("_") and callable(value)}
    if set(methods) != generated:
        raise GeneratedMismatch(
            f"{module.__name__} has the methods {sorted(generated)}, the catalog {sorted(methods)}: "
            "run python -m rigd.proto.generate"
        )
    application: Asgi = module.ServiceASGIApplication(
        SimpleNamespace(**methods), read_max_bytes=MAX_REQUEST_BYTES, codecs=[ProtoBytesCodec(), JsonCodec()],
    )
    return application


_WORD = re.compile(r"([^_])([A-Z][a-z]+)")
_LOWER_UPPER = re.compile(r"([a-z])([A-Z])")


def method_name(rpc_name: str) -> str:
    """The generated code's name for an RPC's method: snake case (`GetObjectsByKind` is
    `get_objects_by_kind`); the check against the generated class catches any difference."""
    return _LOWER_UPPER.sub(r"\1_\2", _WORD.sub(r"\1_\2", rpc_name)).lower()


def _by_service(applications: Mapping[str, Asgi]) -> Asgi:
    """Sends a request to the application of its path's service; the library answers one
    for no service of the API (404) as for an unknown method. Lifespan events end here: the
    generated applications need no start-up of their own."""
    fallback = next(iter(applications.values()))

    async def application(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        service = scope["path"].rpartition("/")[0]
        await applications.get(service, fallback)(scope, receive, send)

    return application


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def with_status(app: Asgi, is_serving: Callable[[], bool]) -> Asgi:
    """`app`, and `GET /api/v1/status`: 200 while rigd is serving, 503 otherwise (the
    original's liveness and readiness probes ask it)."""

    async def application(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == STATUS_PATH:
            serving = is_serving()
            body = json.dumps({"status": "SERVING" if serving else "NOT_SERVING"}).encode()
            await send({"type": "http.response.start", "status": 200 if serving else 503,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
            return
        if scope["type"] == "http":
            _HTTP_VERSION.set(scope.get("http_version", "1.1"))
        await app(scope, receive, send)

    return application


def _handler(
    endpoint: Endpoint, pool: futures.Executor, pacing: Pacing,
) -> Callable[[Any, RequestContext[Any, Any]], Any]:
    """The forwarding implementation of one RPC, of the shape the library calls for its kind."""
    rpc = endpoint.rpc
    if rpc.client_streams and rpc.server_streams:
        return _over_http2(_streaming(endpoint, pool, client_streams=True))
    if rpc.client_streams:
        return _client_streaming(endpoint, pool)
    if rpc.server_streams:
        return _streaming(endpoint, pool, client_streams=False)
    return _unary(endpoint, pool, pacing)


class _Begun:
    """The call as the call path sees it, and whether the client is still there."""

    def __init__(self, endpoint: Endpoint, ctx: RequestContext[Any, Any]) -> None:
        # A flag rather than an Event: the worker only reads it, and a read is atomic.
        self._gone = False
        headers = dict(ctx.request_headers.items())  # the library's keys are lower-case already
        timeout_ms = ctx.timeout_ms
        self.incoming = Incoming(headers=headers, timeout=None if timeout_ms is None else timeout_ms / 1000,
                                 is_active=lambda: not self._gone)
        self.rid = endpoint.request_id_of(self.incoming)
        ctx.response_headers[REQUEST_ID_HEADER] = self.rid

    def gone(self) -> None:
        self._gone = True


def _failure(failure: CallFailed) -> ConnectError:
    return ConnectError(_CODES[failure.status], failure.message)


def _unary(
    endpoint: Endpoint, pool: futures.Executor, pacing: Pacing,
) -> Callable[[bytes, RequestContext[Any, Any]], Awaitable[Any]]:
    path = endpoint.rpc.path

    async def handle(data: bytes, ctx: RequestContext[Any, Any]) -> Any:
        begun = _Begun(endpoint, ctx)
        try:
            if pacing.on_loop(path):
                return pacing.timed(path, True, endpoint.unary, data, begun.incoming, begun.rid)
            return await asyncio.get_running_loop().run_in_executor(
                pool, pacing.timed, path, False, endpoint.unary, data, begun.incoming, begun.rid)
        except CallFailed as failure:
            raise _failure(failure) from None
        except asyncio.CancelledError:  # the client went away or its deadline passed
            begun.gone()
            raise

    return handle


def _client_streaming(
    endpoint: Endpoint, pool: futures.Executor,
) -> Callable[[AsyncIterator[bytes], RequestContext[Any, Any]], Awaitable[Any]]:
    async def handle(requests: AsyncIterator[bytes], ctx: RequestContext[Any, Any]) -> Any:
        begun = _Begun(endpoint, ctx)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                pool, endpoint.unary, _blocking(requests, loop), begun.incoming, begun.rid)
        except CallFailed as failure:
            raise _failure(failure) from None
        except asyncio.CancelledError:
            begun.gone()
            raise

    return handle


def _streaming(
    endpoint: Endpoint, pool: futures.Executor, *, client_streams: bool,
) -> Callable[[Any, RequestContext[Any, Any]], AsyncIterator[Any]]:
    async def handle(data: Any, ctx: RequestContext[Any, Any]) -> AsyncIterator[Any]:
        begun = _Begun(endpoint, ctx)
        loop = asyncio.get_running_loop()
        requests = _blocking(data, loop) if client_streams else data
        responses = cast(Generator[Any, None, None], endpoint.stream(requests, begun.incoming, begun.rid))
        # Every step of the call runs in this one context, whichever worker runs it: what the
        # call path sets in its first step (the request id, the call's bounds) holds in the
        # next ones, and is reset in the context that set it.
        context = contextvars.copy_context()
        try:
            while True:
                response = await loop.run_in_executor(pool, _step, context, responses)
                if response is _END:
                    return
                yield response
        except CallFailed as failure:
            raise _failure(failure) from None
        except (asyncio.CancelledError, GeneratorExit):
            begun.gone()
            raise
        finally:
            # Closing runs the call path's end of the stream (its log line and metrics) on a
            # worker: it may wait for the database like any other step of the call.
            await loop.run_in_executor(pool, _close, context, responses)

    return handle


def _over_http2(
    handle: Callable[[Any, RequestContext[Any, Any]], AsyncIterator[Any]],
) -> Callable[[Any, RequestContext[Any, Any]], AsyncIterator[Any]]:
    """`handle`, refused as connect-go refuses it over HTTP/1.1 (UNIMPLEMENTED), before the call."""

    def handle_over_http2(requests: Any, ctx: RequestContext[Any, Any]) -> AsyncIterator[Any]:
        if _HTTP_VERSION.get() != "2":
            raise ConnectError(Code.UNIMPLEMENTED, NEEDS_HTTP2)
        return handle(requests, ctx)  # the stream itself, so that closing it closes the call

    return handle_over_http2


def _step(context: contextvars.Context, responses: Generator[Any, None, None]) -> Any:
    return context.run(next, responses, _END)


def _close(context: contextvars.Context, responses: Generator[Any, None, None]) -> None:
    # Still running on another worker (the client left mid-step): the generator refuses
    # (ValueError), or its context is entered there (RuntimeError); that step sees is_active.
    with contextlib.suppress(ValueError, RuntimeError):
        context.run(responses.close)


def _blocking(requests: AsyncIterator[bytes], loop: asyncio.AbstractEventLoop) -> Iterator[bytes]:
    """The client's messages, read from a worker thread: each one is awaited on the loop."""
    while True:
        item: Any = asyncio.run_coroutine_threadsafe(anext(requests, _END), loop).result()
        if item is _END:
            return
        yield item

