from rigd.proto.api.v1.capsule import change_pb2 as _change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as _service_pb2
from rigd.proto.api.v1.project import project_pb2 as _project_pb2
from rigd.proto.model import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateRequest(_message.Message):
    __slots__ = ("initializers", "project_id")
    INITIALIZERS_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    initializers: _containers.RepeatedCompositeFieldContainer[_project_pb2.Update]
    project_id: str
    def __init__(self, initializers: _Optional[_Iterable[_Union[_project_pb2.Update, _Mapping]]] = ..., project_id: _Optional[str] = ...) -> None: ...

class CreateResponse(_message.Message):
    __slots__ = ("project",)
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    project: _project_pb2.Project
    def __init__(self, project: _Optional[_Union[_project_pb2.Project, _Mapping]] = ...) -> None: ...

class DeleteRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    def __init__(self, project_id: _Optional[str] = ...) -> None: ...

class DeleteResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UpdateRequest(_message.Message):
    __slots__ = ("updates", "project_id")
    UPDATES_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    updates: _containers.RepeatedCompositeFieldContainer[_project_pb2.Update]
    project_id: str
    def __init__(self, updates: _Optional[_Iterable[_Union[_project_pb2.Update, _Mapping]]] = ..., project_id: _Optional[str] = ...) -> None: ...

class UpdateResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    def __init__(self, project_id: _Optional[str] = ...) -> None: ...

class GetResponse(_message.Message):
    __slots__ = ("project",)
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    project: _project_pb2.Project
    def __init__(self, project: _Optional[_Union[_project_pb2.Project, _Mapping]] = ...) -> None: ...

class ListRequest(_message.Message):
    __slots__ = ("pagination",)
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    pagination: _common_pb2.Pagination
    def __init__(self, pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ...) -> None: ...

class ListResponse(_message.Message):
    __slots__ = ("projects", "total")
    PROJECTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    projects: _containers.RepeatedCompositeFieldContainer[_project_pb2.Project]
    total: int
    def __init__(self, projects: _Optional[_Iterable[_Union[_project_pb2.Project, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class PublicKeyRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    def __init__(self, project_id: _Optional[str] = ...) -> None: ...

class PublicKeyResponse(_message.Message):
    __slots__ = ("public_key",)
    PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    public_key: str
    def __init__(self, public_key: _Optional[str] = ...) -> None: ...

class GetCustomObjectMetricsRequest(_message.Message):
    __slots__ = ("object_reference", "project_id", "environment_id")
    OBJECT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    object_reference: _change_pb2.ObjectReference
    project_id: str
    environment_id: str
    def __init__(self, object_reference: _Optional[_Union[_change_pb2.ObjectReference, _Mapping]] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ...) -> None: ...

class GetCustomObjectMetricsResponse(_message.Message):
    __slots__ = ("metrics", "project_id", "environment_id")
    METRICS_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    metrics: _containers.RepeatedCompositeFieldContainer[_service_pb2.Metric]
    project_id: str
    environment_id: str
    def __init__(self, metrics: _Optional[_Iterable[_Union[_service_pb2.Metric, _Mapping]]] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ...) -> None: ...

class KubernetesObject(_message.Message):
    __slots__ = ("kind", "name")
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    kind: str
    name: str
    def __init__(self, kind: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class GetObjectsByKindRequest(_message.Message):
    __slots__ = ("kind", "api_version", "project_id", "environment_id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    kind: str
    api_version: str
    project_id: str
    environment_id: str
    def __init__(self, kind: _Optional[str] = ..., api_version: _Optional[str] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ...) -> None: ...

class GetObjectsByKindResponse(_message.Message):
    __slots__ = ("objects",)
    OBJECTS_FIELD_NUMBER: _ClassVar[int]
    objects: _containers.RepeatedCompositeFieldContainer[KubernetesObject]
    def __init__(self, objects: _Optional[_Iterable[_Union[KubernetesObject, _Mapping]]] = ...) -> None: ...
