"""Server reflection over the Connect protocol (and gRPC on the Connect port), so `buf curl`
and other connect-go clients need no schema: `grpc.reflection.v1` and `v1alpha`, answered by
grpcio-reflection's asyncio servicer (the same answers as on the gRPC port).

Reflection is a bidi stream of protobuf messages, so it is a small application of its own
with codecs that make messages (the call path's application hands its handlers bytes);
`with_reflection` sends its two paths to it. Like on the gRPC port, it needs no credentials:
it tells the schema, which is public, and nothing of the data."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from connectrpc.method import IdempotencyLevel, MethodInfo, StreamType
from connectrpc.request import RequestContext
from connectrpc.server import ConnectASGIApplication
from connectrpc.server import Endpoint as ConnectEndpoint
from google.protobuf import json_format
from grpc_reflection.v1alpha import _async as async_reflection
from grpc_reflection.v1alpha import reflection, reflection_pb2

from rigd.services.connect_api import Asgi
from rigd.services.limits import MAX_REQUEST_BYTES
from rigd.services.reflection import V1_SERVICE_NAME, add_v1_descriptor

_METHOD = "ServerReflectionInfo"
SERVICES = (V1_SERVICE_NAME, reflection.SERVICE_NAME)


class _ProtoCodec:
    """`proto`: google.protobuf messages (the library's own codecs are for protobuf-py's)."""

    def name(self) -> str:
        return "proto"

    def encode(self, message: Any) -> bytes:
        return bytes(message.SerializeToString())

    def decode(self, data: bytes | bytearray, message_class: type[Any]) -> Any:
        return message_class.FromString(bytes(data))


class _JsonCodec(_ProtoCodec):
    def name(self) -> str:
        return "json"

    def encode(self, message: Any) -> bytes:
        return json_format.MessageToJson(message, indent=None).encode()

    def decode(self, data: bytes | bytearray, message_class: type[Any]) -> Any:
        return json_format.Parse(bytes(data), message_class(), ignore_unknown_fields=True)


class _Application(ConnectASGIApplication[object]):
    @property
    def path(self) -> str:
        return "/"


def reflection_application(service_names: Iterable[str]) -> Asgi:
    """Reflection of `service_names` (and of itself) under both versions' paths."""
    add_v1_descriptor()
    servicer = async_reflection.ReflectionServicer([*service_names, *SERVICES])

    async def info(requests: AsyncIterator[Any], _ctx: RequestContext[Any, Any]) -> AsyncIterator[Any]:
        async for response in servicer.ServerReflectionInfo(requests, None):
            yield response

    routes = {f"/{service}/{_METHOD}": ConnectEndpoint.bidi_stream(_method_info(service), info)
              for service in SERVICES}
    return _Application(service=object(), endpoints=lambda _service: routes, read_max_bytes=MAX_REQUEST_BYTES,
                        codecs=[_ProtoCodec(), _JsonCodec()])


def with_reflection(app: Asgi, service_names: Iterable[str]) -> Asgi:
    """`app`, with server reflection of `service_names` on the reflection services' paths."""
    reflecting = reflection_application(service_names)
    paths = {f"/{service}/{_METHOD}" for service in SERVICES}

    async def application(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] in paths:
            await reflecting(scope, receive, send)
        else:
            await app(scope, receive, send)

    return application


def _method_info(service: str) -> MethodInfo[Any, Any]:
    # Both versions have the same messages (services/reflection.py): v1alpha's classes read both.
    return MethodInfo(
        name=_METHOD, service_name=service, input=reflection_pb2.ServerReflectionRequest,
        output=reflection_pb2.ServerReflectionResponse, idempotency_level=IdempotencyLevel.UNKNOWN,
        stream_type=StreamType.BIDI_STREAM,
    )
