"""The gRPC adapter of the call path: grpc's handlers around the protocol-neutral endpoints.

Requests arrive as bytes and are parsed on the call path, so a malformed one is
INVALID_ARGUMENT (grpc's own deserializer would answer INTERNAL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import grpc

from rigd.services.call_path import REQUEST_ID_HEADER, Endpoint
from rigd.services.calls import CallFailed, Incoming

NO_DEADLINE_SECONDS = 10 * 365 * 24 * 3600.0  # a deadline further away than this is no deadline

_METHOD_HANDLERS = {
    (False, False): grpc.unary_unary_rpc_method_handler,
    (False, True): grpc.unary_stream_rpc_method_handler,
    (True, False): grpc.stream_unary_rpc_method_handler,
    (True, True): grpc.stream_stream_rpc_method_handler,
}


def generic_handlers(endpoints: Sequence[Endpoint]) -> list[grpc.GenericRpcHandler]:
    """One generic handler per service, serving every endpoint."""
    by_service: dict[str, dict[str, grpc.RpcMethodHandler]] = {}
    for endpoint in endpoints:
        rpc = endpoint.rpc
        make = _METHOD_HANDLERS[(rpc.client_streams, rpc.server_streams)]
        behaviour = _streaming(endpoint) if rpc.server_streams else _unary(endpoint)
        by_service.setdefault(rpc.service, {})[rpc.name] = make(
            behaviour, request_deserializer=None, response_serializer=rpc.response_class.SerializeToString
        )
    return [grpc.method_handlers_generic_handler(name, methods) for name, methods in by_service.items()]


def _begin(endpoint: Endpoint, context: grpc.ServicerContext) -> tuple[Incoming, str]:
    headers = {key.lower(): value for key, value in context.invocation_metadata() or () if isinstance(value, str)}
    remaining = context.time_remaining()  # grpc gives ~292 years, not None, without a deadline
    timeout = remaining if remaining is not None and remaining < NO_DEADLINE_SECONDS else None
    incoming = Incoming(headers=headers, timeout=timeout, is_active=context.is_active)
    rid = endpoint.request_id_of(incoming)
    context.set_trailing_metadata(((REQUEST_ID_HEADER, rid),))
    return incoming, rid


def _abort(context: grpc.ServicerContext, failure: CallFailed) -> None:
    context.abort(grpc.StatusCode[failure.status.name], failure.message)


def _unary(endpoint: Endpoint) -> Callable[[Any, grpc.ServicerContext], Any]:
    def handle(data: Any, context: grpc.ServicerContext) -> Any:
        incoming, rid = _begin(endpoint, context)
        try:
            return endpoint.unary(data, incoming, rid)
        except CallFailed as failure:
            _abort(context, failure)

    return handle


def _streaming(endpoint: Endpoint) -> Callable[[Any, grpc.ServicerContext], Iterator[Any]]:
    def handle(data: Any, context: grpc.ServicerContext) -> Iterator[Any]:
        incoming, rid = _begin(endpoint, context)
        try:
            yield from endpoint.stream(data, incoming, rid)
        except CallFailed as failure:
            _abort(context, failure)

    return handle
