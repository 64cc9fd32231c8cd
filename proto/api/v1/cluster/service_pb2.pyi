from rigd.proto.api.v1.cluster import cluster_pb2 as _cluster_pb2
from rigd.proto.model import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ClusterType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLUSTER_TYPE_UNSPECIFIED: _ClassVar[ClusterType]
    CLUSTER_TYPE_DOCKER: _ClassVar[ClusterType]
    CLUSTER_TYPE_KUBERNETES: _ClassVar[ClusterType]
CLUSTER_TYPE_UNSPECIFIED: ClusterType
CLUSTER_TYPE_DOCKER: ClusterType
CLUSTER_TYPE_KUBERNETES: ClusterType

class GetConfigRequest(_message.Message):
    __slots__ = ("environment_id",)
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    environment_id: str
    def __init__(self, environment_id: _Optional[str] = ...) -> None: ...

class GetConfigResponse(_message.Message):
    __slots__ = ("cluster_type", "docker", "registry", "ingress")
    CLUSTER_TYPE_FIELD_NUMBER: _ClassVar[int]
    DOCKER_FIELD_NUMBER: _ClassVar[int]
    REGISTRY_FIELD_NUMBER: _ClassVar[int]
    INGRESS_FIELD_NUMBER: _ClassVar[int]
    cluster_type: ClusterType
    docker: DockerDaemon
    registry: Registry
    ingress: bool
    def __init__(self, cluster_type: _Optional[_Union[ClusterType, str]] = ..., docker: _Optional[_Union[DockerDaemon, _Mapping]] = ..., registry: _Optional[_Union[Registry, _Mapping]] = ..., ingress: _Optional[bool] = ...) -> None: ...

class GetConfigsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetConfigsResponse(_message.Message):
    __slots__ = ("clusters",)
    CLUSTERS_FIELD_NUMBER: _ClassVar[int]
    clusters: _containers.RepeatedCompositeFieldContainer[GetConfigResponse]
    def __init__(self, clusters: _Optional[_Iterable[_Union[GetConfigResponse, _Mapping]]] = ...) -> None: ...

class DockerDaemon(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Registry(_message.Message):
    __slots__ = ("host",)
    HOST_FIELD_NUMBER: _ClassVar[int]
    host: str
    def __init__(self, host: _Optional[str] = ...) -> None: ...

class ListRequest(_message.Message):
    __slots__ = ("pagination",)
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    pagination: _common_pb2.Pagination
    def __init__(self, pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ...) -> None: ...

class ListResponse(_message.Message):
    __slots__ = ("clusters",)
    CLUSTERS_FIELD_NUMBER: _ClassVar[int]
    clusters: _containers.RepeatedCompositeFieldContainer[_cluster_pb2.Cluster]
    def __init__(self, clusters: _Optional[_Iterable[_Union[_cluster_pb2.Cluster, _Mapping]]] = ...) -> None: ...
