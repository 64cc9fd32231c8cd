"""A small client of the three protocols rigd speaks, for tests: gRPC (grpcio), and Connect
with binary protobuf or JSON (plain HTTP/1.1 from the standard library), each answering an
`Outcome`, so one scenario can be run over each and the answers compared."""

from __future__ import annotations

import http.client
import json
import struct
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf import json_format

from rigd.services.composition import Rigd
from rigd.services.rpcs import Rpc, all_rpcs
from rigd.services.server import ApiServer
from tests.principals import admin_authorization

PROTOCOLS = ("grpc", "connect+proto", "connect+json")
END_STREAM = 0x02


@dataclass(frozen=True)
class Outcome:
    code: str  # "ok" or the Connect code (gRPC's status name, lower-case)
    message: str = ""  # the error message
    responses: tuple[Any, ...] = ()  # the response messages (one for a unary call)
    http_status: int | None = None  # Connect only
    headers: Mapping[str, str] | None = None  # Connect only; lower-case names

    @property
    def response(self) -> Any:
        (only,) = self.responses
        return only


def rpc_of(path: str) -> Rpc:
    return next(rpc for rpc in all_rpcs() if rpc.path == path)


class Clients:
    def __init__(self, channel: grpc.Channel, connect_address: str, headers: Mapping[str, str] | None = None) -> None:
        self.channel = channel
        self.connect_address = connect_address
        self._headers = dict(headers or {})  # sent with every call (e.g. Authorization)

    @property
    def headers(self) -> Mapping[str, str]:
        return dict(self._headers)

    def call(self, protocol: str, path: str, request: Any, headers: Mapping[str, str] | None = None) -> Outcome:
        headers = {**self._headers, **(headers or {})}
        if protocol == "grpc":
            return self._grpc(path, request, headers)
        return self.connect(path, request, as_json=protocol == "connect+json", headers=headers)

    def _grpc(self, path: str, request: Any, headers: Mapping[str, str]) -> Outcome:
        rpc = rpc_of(path)
        metadata = tuple((key.lower(), value) for key, value in headers.items())
        try:
            if rpc.server_streams:
                stream = self.channel.unary_stream(path, request_serializer=type(request).SerializeToString,
                                                    response_deserializer=rpc.response_class.FromString)
                return Outcome("ok", responses=tuple(stream(request, metadata=metadata, timeout=30)))
            unary = self.channel.unary_unary(path, request_serializer=type(request).SerializeToString,
                                              response_deserializer=rpc.response_class.FromString)
            return Outcome("ok", responses=(unary(request, metadata=metadata, timeout=30),))
        except grpc.RpcError as error:
            return Outcome(error.code().name.lower(), error.details() or "")

    def connect(self, path: str, request: Any, *, as_json: bool = False,
                headers: Mapping[str, str] | None = None) -> Outcome:
        """A Connect call over HTTP/1.1: unary, or the enveloped form for a server stream."""
        rpc = rpc_of(path)
        codec = "json" if as_json else "proto"
        body = json_format.MessageToJson(request).encode() if as_json else request.SerializeToString()
        if rpc.server_streams:
            content_type = f"application/connect+{codec}"
            body = struct.pack(">BI", 0, len(body)) + body
        else:
            content_type = f"application/{codec}"
        status, answer, raw = self.post(path, body, {"Content-Type": content_type, **self._headers, **(headers or {})})
        if rpc.server_streams:
            return _stream_outcome(rpc, status, answer, raw, as_json)
        if status != 200:
            error = json.loads(raw)
            return Outcome(error["code"], error.get("message", ""), http_status=status, headers=answer)
        response = _decode(rpc, raw, as_json)
        return Outcome("ok", responses=(response,), http_status=status, headers=answer)

    def post(self, path: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
        host, _, port = self.connect_address.rpartition(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            connection.request("POST", path, body=body, headers={**self._headers, **headers})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()



def _decode(rpc: Rpc, raw: bytes, as_json: bool) -> Any:
    if as_json:
        return json_format.Parse(raw, rpc.response_class())
    return rpc.response_class.FromString(raw)


def _stream_outcome(rpc: Rpc, status: int, headers: dict[str, str], raw: bytes, as_json: bool) -> Outcome:
    """The messages of an enveloped stream and its end-of-stream message's error, if any."""
    if status != 200:
        error = json.loads(raw)
        return Outcome(error["code"], error.get("message", ""), http_status=status, headers=headers)
    responses = []
    while raw:
        flags, length = struct.unpack(">BI", raw[:5])
        data, raw = raw[5:5 + length], raw[5 + length:]
        if flags & END_STREAM:
            end = json.loads(data)
            if "error" in end:
                return Outcome(end["error"]["code"], end["error"].get("message", ""), tuple(responses),
                               http_status=status, headers=headers)
            break
        responses.append(_decode(rpc, data, as_json))
    return Outcome("ok", responses=tuple(responses), http_status=status, headers=headers)


@contextmanager
def serving_every_protocol(rigd: Rigd) -> Iterator[Clients]:
    """`rigd` on a gRPC port and a Connect port (both on free loopback ports), and clients of
    both that call as its admin."""
    server = ApiServer(rigd, listen="127.0.0.1:0", connect_listen="127.0.0.1:0")
    server.start()
    try:
        assert server.connect is not None
        with grpc.insecure_channel(server.address) as channel:
            yield Clients(channel, server.connect.address, {"Authorization": admin_authorization(rigd)})
    finally:
        server.stop(grace=1)
