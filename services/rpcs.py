"""The catalog of the API's RPCs, read from the generated descriptors, so paths, message
types and streaming kinds are exactly those of the .proto files."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any

from google.protobuf import descriptor, message_factory

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

SERVICE_MODULES: tuple[ModuleType, ...] = (
    authentication, capsule, cluster, environment, group, image,
    project, project_settings, role, service_account, user, user_settings,
)


@dataclass(frozen=True)
class Rpc:
    service: str  # e.g. api.v1.project.Service
    method: descriptor.MethodDescriptor

    @property
    def name(self) -> str:
        return str(self.method.name)

    @property
    def path(self) -> str:
        return f"/{self.service}/{self.method.name}"

    @property
    def client_streams(self) -> bool:
        return bool(self.method.client_streaming)

    @property
    def server_streams(self) -> bool:
        return bool(self.method.server_streaming)

    @cached_property
    def request_class(self) -> Any:
        return message_factory.GetMessageClass(self.method.input_type)

    @cached_property
    def response_class(self) -> Any:
        return message_factory.GetMessageClass(self.method.output_type)


def services() -> list[descriptor.ServiceDescriptor]:
    return [module.DESCRIPTOR.services_by_name["Service"] for module in SERVICE_MODULES]


def all_rpcs() -> list[Rpc]:
    return [Rpc(service.full_name, method) for service in services() for method in service.methods]


def service_names() -> list[str]:
    return [service.full_name for service in services()]
