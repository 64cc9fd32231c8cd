"""gRPC server reflection under both names clients ask for: `grpc.reflection.v1` (current
grpcurl, Postman, Evans, buf) and `grpc.reflection.v1alpha` (older clients).

The two versions have identical messages; only the package differs. grpcio-reflection
implements v1alpha, so the same servicer answers both paths, and the v1 file descriptor
(derived from v1alpha's by renaming the package) is added to the pool, so clients can
also describe the v1 service itself."""

from __future__ import annotations

from collections.abc import Iterable

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool
from grpc_reflection.v1alpha import reflection, reflection_pb2

V1ALPHA = "grpc.reflection.v1alpha"
V1 = "grpc.reflection.v1"
V1_SERVICE_NAME = f"{V1}.ServerReflection"
_V1_FILE = "grpc/reflection/v1/reflection.proto"


def enable_reflection(server: grpc.Server, service_names: Iterable[str]) -> None:
    """Serves reflection for `service_names` (the reflection services are added to them)."""
    add_v1_descriptor()
    names = [*service_names, reflection.SERVICE_NAME, V1_SERVICE_NAME]
    servicer = reflection.ReflectionServicer(names)
    method = grpc.stream_stream_rpc_method_handler(
        servicer.ServerReflectionInfo,
        request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
        response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString,
    )
    server.add_generic_rpc_handlers([
        grpc.method_handlers_generic_handler(name, {"ServerReflectionInfo": method})
        for name in (reflection.SERVICE_NAME, V1_SERVICE_NAME)
    ])


def add_v1_descriptor() -> None:
    pool = descriptor_pool.Default()
    try:
        pool.FindFileByName(_V1_FILE)
        return  # another server in this process added it
    except KeyError:
        pass
    proto = descriptor_pb2.FileDescriptorProto()
    reflection_pb2.DESCRIPTOR.CopyToProto(proto)
    proto.name = _V1_FILE
    proto.package = V1
    proto.options.Clear()
    for message in proto.message_type:
        for field in message.field:
            if field.HasField("type_name"):
                field.type_name = field.type_name.replace(f".{V1ALPHA}.", f".{V1}.")
    for service in proto.service:
        for rpc in service.method:
            rpc.input_type = rpc.input_type.replace(f".{V1ALPHA}.", f".{V1}.")
            rpc.output_type = rpc.output_type.replace(f".{V1ALPHA}.", f".{V1}.")
    pool.Add(proto)
