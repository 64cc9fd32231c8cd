from rigd.proto.api.v1.environment import environment_pb2 as _environment_pb2
from rigd.proto.model import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateRequest(_message.Message):
    __slots__ = ("environment_id", "initializers", "cluster_id", "namespace_template")
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    INITIALIZERS_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_ID_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    environment_id: str
    initializers: _containers.RepeatedCompositeFieldContainer[_environment_pb2.Update]
    cluster_id: str
    namespace_template: str
    def __init__(self, environment_id: _Optional[str] = ..., initializers: _Optional[_Iterable[_Union[_environment_pb2.Update, _Mapping]]] = ..., cluster_id: _Optional[str] = ..., namespace_template: _Optional[str] = ...) -> None: ...

class CreateResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UpdateRequest(_message.Message):
    __slots__ = ("environment_id", "updates")
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATES_FIELD_NUMBER: _ClassVar[int]
    environment_id: str
    updates: _containers.RepeatedCompositeFieldContainer[_environment_pb2.Update]
    def __init__(self, environment_id: _Optional[str] = ..., updates: _Optional[_Iterable[_Union[_environment_pb2.Update, _Mapping]]] = ...) -> None: ...

class UpdateResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteRequest(_message.Message):
    __slots__ = ("environment_id", "force")
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    environment_id: str
    force: bool
    def __init__(self, environment_id: _Optional[str] = ..., force: _Optional[bool] = ...) -> None: ...

class DeleteResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRequest(_message.Message):
    __slots__ = ("pagination",)
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    pagination: _common_pb2.Pagination
    def __init__(self, pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ...) -> None: ...

class ListResponse(_message.Message):
    __slots__ = ("environments", "platform_version")
    ENVIRONMENTS_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_VERSION_FIELD_NUMBER: _ClassVar[int]
    environments: _containers.RepeatedCompositeFieldContainer[_environment_pb2.Environment]
    platform_version: str
    def __init__(self, environments: _Optional[_Iterable[_Union[_environment_pb2.Environment, _Mapping]]] = ..., platform_version: _Optional[str] = ...) -> None: ...

class ProjectEnvironment(_message.Message):
    __slots__ = ("project_id", "environment_id")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    environment_id: str
    def __init__(self, project_id: _Optional[str] = ..., environment_id: _Optional[str] = ...) -> None: ...

class ProjectEnvironmentNamespace(_message.Message):
    __slots__ = ("project_id", "environment_id", "namespace")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    environment_id: str
    namespace: str
    def __init__(self, project_id: _Optional[str] = ..., environment_id: _Optional[str] = ..., namespace: _Optional[str] = ...) -> None: ...

class GetNamespacesRequest(_message.Message):
    __slots__ = ("project_envs",)
    PROJECT_ENVS_FIELD_NUMBER: _ClassVar[int]
    project_envs: _containers.RepeatedCompositeFieldContainer[ProjectEnvironment]
    def __init__(self, project_envs: _Optional[_Iterable[_Union[ProjectEnvironment, _Mapping]]] = ...) -> None: ...

class GetNamespacesResponse(_message.Message):
    __slots__ = ("namespaces",)
    NAMESPACES_FIELD_NUMBER: _ClassVar[int]
    namespaces: _containers.RepeatedCompositeFieldContainer[ProjectEnvironmentNamespace]
    def __init__(self, namespaces: _Optional[_Iterable[_Union[ProjectEnvironmentNamespace, _Mapping]]] = ...) -> None: ...
