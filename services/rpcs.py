"""Every RPC of the API, each served by its servicer method or answered UNIMPLEMENTED.

Handlers are built from the generated descriptors, so paths, message types and
streaming kinds are exactly those of the .proto files. Each call gets a request id,
a log line, and its domain errors mapped to status codes here, in one place."""

from __future__ import annotations

import contextvars
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import grpc
from google.protobuf import descriptor, message_factory
from google.protobuf.message import DecodeError

from rigd.domain.errors import DomainError, InvalidArgument
from rigd.proto.api.v1.authentication import service_pb2 as authentication
from rigd.proto.api.v1.capsule import service_pb2 as capsule
from rigd.proto.api.v1.cluster import service_pb2 as cluster
from rigd.proto.api.v1.environment import service_pb2 as environment
from rigd.proto.api.v1.group import service_pb2 as group
from rigd.proto.api.v1.image import service_pb2 as image
from rigd.proto.api.v1.project import service_pb2 as project
from rigd.proto.api.v1.project.settings import service_pb2 as project_settings
from rigd.proto.api.v1.role import service_pb2 as role
from rigd.proto.api.v1.service_account import service_pb2 as service_account
from rigd.proto.api.v1.user import service_pb2 as user
from rigd.proto.api.v1.user.settings import service_pb2 as user_settings
from rigd.services.errors import status_of
from rigd.services.logs import request_id
from rigd.services.metrics import Metrics

log = logging.getLogger("rigd.rpc")

SERVICE_MODULES: tuple[ModuleType, ...] = (
    authentication, capsule, cluster, environment, group, image,
    project, project_settings, role, service_account, user, user_settings,
)
REQUEST_ID_HEADER = "x-request-id"


@dataclass(frozen=True)
class Rpc:
    service: str  # e.g. api.v1.project.Service
    method: descriptor.MethodDescriptor

    @property
    def path(self) -> str:
        return f"/{self.service}/{self.method.name}"


def all_rpcs() -> list[Rpc]:
    rpcs: list[Rpc] = []
    for module in SERVICE_MODULES:
        service = module.DESCRIPTOR.services_by_name["Service"]
        rpcs.extend(Rpc(service.full_name, method) for method in service.methods)
    return rpcs


def service_names() -> list[str]:
    return [module.DESCRIPTOR.services_by_name["Service"].full_name for module in SERVICE_MODULES]


def generic_handlers(servicers: Mapping[str, object], metrics: Metrics) -> list[grpc.GenericRpcHandler]:
    """One handler per service; `servicers` maps a service's full name to an object
    whose methods are named like the RPCs they serve."""
    by_service: dict[str, dict[str, grpc.RpcMethodHandler]] = {}
    for rpc in all_rpcs():
        implementation = getattr(servicers.get(rpc.service), rpc.method.name, None)
        by_service.setdefault(rpc.service, {})[rpc.method.name] = _handler(rpc, implementation, metrics)
    return [grpc.method_handlers_generic_handler(name, methods) for name, methods in by_service.items()]


def _handler(rpc: Rpc, implementation: Callable[..., Any] | None, metrics: Metrics) -> grpc.RpcMethodHandler:
    response_class = message_factory.GetMessageClass(rpc.method.output_type)
    client_streams, server_streams = rpc.method.client_streaming, rpc.method.server_streaming
    call = _Call(rpc, metrics)
    behaviour = _observed(call, implementation or _unimplemented(rpc), server_streams, client_streams)
    make = {
        (False, False): grpc.unary_unary_rpc_method_handler,
        (False, True): grpc.unary_stream_rpc_method_handler,
        (True, False): grpc.stream_unary_rpc_method_handler,
        (True, True): grpc.stream_stream_rpc_method_handler,
    }[(client_streams, server_streams)]
    # Requests arrive as bytes and are parsed inside the call, so that a malformed one is
    # answered INVALID_ARGUMENT (grpc's own deserializer would answer INTERNAL).
    return make(behaviour, request_deserializer=None, response_serializer=response_class.SerializeToString)


def _unimplemented(rpc: Rpc) -> Callable[..., Any]:
    def refuse(_request: Any, context: grpc.ServicerContext) -> Any:
        context.abort(grpc.StatusCode.UNIMPLEMENTED, f"{rpc.path} is not implemented yet in rigd")

    return refuse


class _Call:
    """What every call of one RPC shares: its outcome goes to the log and the metrics."""

    def __init__(self, rpc: Rpc, metrics: Metrics) -> None:
        self.rpc = rpc
        self._metrics = metrics
        self._request_class = message_factory.GetMessageClass(rpc.method.input_type)

    def parse(self, raw: bytes) -> Any:
        try:
            return self._request_class.FromString(raw)
        except DecodeError:
            raise InvalidArgument(
                f"the request is not a valid {self.rpc.method.input_type.full_name} message"
            ) from None

    def parse_stream(self, raw_requests: Iterator[bytes]) -> Iterator[Any]:
        for raw in raw_requests:
            yield self.parse(raw)

    def begin(self, context: grpc.ServicerContext) -> tuple[float, contextvars.Token[str]]:
        incoming = dict(context.invocation_metadata() or ()).get(REQUEST_ID_HEADER, "")
        rid = incoming if isinstance(incoming, str) and 0 < len(incoming) <= 128 else uuid.uuid4().hex
        context.set_trailing_metadata(((REQUEST_ID_HEADER, rid),))
        return time.monotonic(), request_id.set(rid)

    def finish(self, started: float, code: grpc.StatusCode) -> None:
        seconds = time.monotonic() - started
        self._metrics.observe_rpc(self.rpc.path, code.name, seconds)
        log.info("%s %s", self.rpc.path, code.name,
                 extra={"rpc": self.rpc.path, "code": code.name, "duration_ms": round(seconds * 1000, 2)})

    def fail(self, started: float, context: grpc.ServicerContext, error: BaseException) -> None:
        """Ends the call with the status the error means; never lets UNKNOWN through."""
        if isinstance(error, DomainError):
            code = status_of(error)
            self.finish(started, code)
            context.abort(code, error.message)
        if not isinstance(error, Exception):
            raise error
        if context.code() is not None:
            # context.abort() already set the status (it raises an Exception to unwind)
            self.finish(started, context.code())
            raise error
        log.exception("%s failed", self.rpc.path, extra={"rpc": self.rpc.path, "code": "INTERNAL"})
        self.finish(started, grpc.StatusCode.INTERNAL)
        context.abort(grpc.StatusCode.INTERNAL, f"internal error (request id {request_id.get()})")


def _observed(
    call: _Call, implementation: Callable[..., Any], server_streams: bool, client_streams: bool
) -> Callable[..., Any]:
    """Wraps a handler: parsing, request id, error mapping, one log line and metrics per call."""

    def requests(raw: Any) -> Any:
        return call.parse_stream(raw) if client_streams else call.parse(raw)

    def unary(raw: Any, context: grpc.ServicerContext) -> Any:
        started, token = call.begin(context)
        try:
            response = implementation(requests(raw), context)
            call.finish(started, grpc.StatusCode.OK)
            return response
        except BaseException as error:
            call.fail(started, context, error)
        finally:
            request_id.reset(token)

    def stream(raw: Any, context: grpc.ServicerContext) -> Iterator[Any]:
        started, token = call.begin(context)
        try:
            yield from implementation(requests(raw), context)
            call.finish(started, grpc.StatusCode.OK)
        except BaseException as error:
            call.fail(started, context, error)
        finally:
            request_id.reset(token)

    return stream if server_streams else unary
