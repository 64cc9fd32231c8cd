from rigd.proto.api.v1.capsule import job_pb2 as _job_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PathMatchType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PATH_MATCH_TYPE_UNSPECIFIED: _ClassVar[PathMatchType]
    PATH_MATCH_TYPE_PATH_PREFIX: _ClassVar[PathMatchType]
    PATH_MATCH_TYPE_EXACT: _ClassVar[PathMatchType]
PATH_MATCH_TYPE_UNSPECIFIED: PathMatchType
PATH_MATCH_TYPE_PATH_PREFIX: PathMatchType
PATH_MATCH_TYPE_EXACT: PathMatchType

class Change(_message.Message):
    __slots__ = ("replicas", "image_id", "network", "container_settings", "auto_add_rig_service_accounts", "set_config_file", "remove_config_file", "horizontal_scale", "rollback", "set_environment_variable", "remove_environment_variable", "set_environment_source", "remove_environment_source", "command_arguments", "add_cron_job", "remove_cron_job", "set_interface", "remove_interface", "set_annotations", "set_annotation", "remove_annotation", "add_image")
    class ConfigFile(_message.Message):
        __slots__ = ("path", "content", "is_secret")
        PATH_FIELD_NUMBER: _ClassVar[int]
        CONTENT_FIELD_NUMBER: _ClassVar[int]
        IS_SECRET_FIELD_NUMBER: _ClassVar[int]
        path: str
        content: bytes
        is_secret: bool
        def __init__(self, path: _Optional[str] = ..., content: _Optional[bytes] = ..., is_secret: _Optional[bool] = ...) -> None: ...
    class Rollback(_message.Message):
        __slots__ = ("rollback_id",)
        ROLLBACK_ID_FIELD_NUMBER: _ClassVar[int]
        rollback_id: int
        def __init__(self, rollback_id: _Optional[int] = ...) -> None: ...
    class CronJobs(_message.Message):
        __slots__ = ("jobs",)
        JOBS_FIELD_NUMBER: _ClassVar[int]
        jobs: _containers.RepeatedCompositeFieldContainer[_job_pb2.CronJob]
        def __init__(self, jobs: _Optional[_Iterable[_Union[_job_pb2.CronJob, _Mapping]]] = ...) -> None: ...
    class KeyValue(_message.Message):
        __slots__ = ("name", "value")
        NAME_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        name: str
        value: str
        def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class CommandArguments(_message.Message):
        __slots__ = ("command", "args")
        COMMAND_FIELD_NUMBER: _ClassVar[int]
        ARGS_FIELD_NUMBER: _ClassVar[int]
        command: str
        args: _containers.RepeatedScalarFieldContainer[str]
        def __init__(self, command: _Optional[str] = ..., args: _Optional[_Iterable[str]] = ...) -> None: ...
    class RemoveCronJob(_message.Message):
        __slots__ = ("job_name",)
        JOB_NAME_FIELD_NUMBER: _ClassVar[int]
        job_name: str
        def __init__(self, job_name: _Optional[str] = ...) -> None: ...
    class Annotations(_message.Message):
        __slots__ = ("annotations",)
        class AnnotationsEntry(_message.Message):
            __slots__ = ("key", "value")
            KEY_FIELD_NUMBER: _ClassVar[int]
            VALUE_FIELD_NUMBER: _ClassVar[int]
            key: str
            value: str
            def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
        ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
        annotations: _containers.ScalarMap[str, str]
        def __init__(self, annotations: _Optional[_Mapping[str, str]] = ...) -> None: ...
    class AddImage(_message.Message):
        __slots__ = ("image",)
        IMAGE_FIELD_NUMBER: _ClassVar[int]
        image: str
        def __init__(self, image: _Optional[str] = ...) -> None: ...
    REPLICAS_FIELD_NUMBER: _ClassVar[int]
    IMAGE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_SETTINGS_FIELD_NUMBER: _ClassVar[int]
    AUTO_ADD_RIG_SERVICE_ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    SET_CONFIG_FILE_FIELD_NUMBER: _ClassVar[int]
    REMOVE_CONFIG_FILE_FIELD_NUMBER: _ClassVar[int]
    HORIZONTAL_SCALE_FIELD_NUMBER: _ClassVar[int]
    ROLLBACK_FIELD_NUMBER: _ClassVar[int]
    SET_ENVIRONMENT_VARIABLE_FIELD_NUMBER: _ClassVar[int]
    REMOVE_ENVIRONMENT_VARIABLE_FIELD_NUMBER: _ClassVar[int]
    SET_ENVIRONMENT_SOURCE_FIELD_NUMBER: _ClassVar[int]
    REMOVE_ENVIRONMENT_SOURCE_FIELD_NUMBER: _ClassVar[int]
    COMMAND_ARGUMENTS_FIELD_NUMBER: _ClassVar[int]
    ADD_CRON_JOB_FIELD_NUMBER: _ClassVar[int]
    REMOVE_CRON_JOB_FIELD_NUMBER: _ClassVar[int]
    SET_INTERFACE_FIELD_NUMBER: _ClassVar[int]
    REMOVE_INTERFACE_FIELD_NUMBER: _ClassVar[int]
    SET_ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    SET_ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    REMOVE_ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    ADD_IMAGE_FIELD_NUMBER: _ClassVar[int]
    replicas: int
    image_id: str
    network: Network
    container_settings: ContainerSettings
    auto_add_rig_service_accounts: bool
    set_config_file: Change.ConfigFile
    remove_config_file: str
    horizontal_scale: HorizontalScale
    rollback: Change.Rollback
    set_environment_variable: Change.KeyValue
    remove_environment_variable: str
    set_environment_source: EnvironmentSource
    remove_environment_source: EnvironmentSource
    command_arguments: Change.CommandArguments
    add_cron_job: _job_pb2.CronJob
    remove_cron_job: Change.RemoveCronJob
    set_interface: Interface
    remove_interface: str
    set_annotations: Change.Annotations
    set_annotation: Change.KeyValue
    remove_annotation: str
    add_image: Change.AddImage
    def __init__(self, replicas: _Optional[int] = ..., image_id: _Optional[str] = ..., network: _Optional[_Union[Network, _Mapping]] = ..., container_settings: _Optional[_Union[ContainerSettings, _Mapping]] = ..., auto_add_rig_service_accounts: _Optional[bool] = ..., set_config_file: _Optional[_Union[Change.ConfigFile, _Mapping]] = ..., remove_config_file: _Optional[str] = ..., horizontal_scale: _Optional[_Union[HorizontalScale, _Mapping]] = ..., rollback: _Optional[_Union[Change.Rollback, _Mapping]] = ..., set_environment_variable: _Optional[_Union[Change.KeyValue, _Mapping]] = ..., remove_environment_variable: _Optional[str] = ..., set_environment_source: _Optional[_Union[EnvironmentSource, _Mapping]] = ..., remove_environment_source: _Optional[_Union[EnvironmentSource, _Mapping]] = ..., command_arguments: _Optional[_Union[Change.CommandArguments, _Mapping]] = ..., add_cron_job: _Optional[_Union[_job_pb2.CronJob, _Mapping]] = ..., remove_cron_job: _Optional[_Union[Change.RemoveCronJob, _Mapping]] = ..., set_interface: _Optional[_Union[Interface, _Mapping]] = ..., remove_interface: _Optional[str] = ..., set_annotations: _Optional[_Union[Change.Annotations, _Mapping]] = ..., set_annotation: _Optional[_Union[Change.KeyValue, _Mapping]] = ..., remove_annotation: _Optional[str] = ..., add_image: _Optional[_Union[Change.AddImage, _Mapping]] = ...) -> None: ...

class ContainerSettings(_message.Message):
    __slots__ = ("environment_variables", "command", "args", "resources", "environment_sources")
    class EnvironmentVariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ENVIRONMENT_VARIABLES_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    ARGS_FIELD_NUMBER: _ClassVar[int]
    RESOURCES_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_SOURCES_FIELD_NUMBER: _ClassVar[int]
    environment_variables: _containers.ScalarMap[str, str]
    command: str
    args: _containers.RepeatedScalarFieldContainer[str]
    resources: Resources
    environment_sources: _containers.RepeatedCompositeFieldContainer[EnvironmentSource]
    def __init__(self, environment_variables: _Optional[_Mapping[str, str]] = ..., command: _Optional[str] = ..., args: _Optional[_Iterable[str]] = ..., resources: _Optional[_Union[Resources, _Mapping]] = ..., environment_sources: _Optional[_Iterable[_Union[EnvironmentSource, _Mapping]]] = ...) -> None: ...

class Resources(_message.Message):
    __slots__ = ("requests", "limits", "gpu_limits")
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    GPU_LIMITS_FIELD_NUMBER: _ClassVar[int]
    requests: ResourceList
    limits: ResourceList
    gpu_limits: GpuLimits
    def __init__(self, requests: _Optional[_Union[ResourceList, _Mapping]] = ..., limits: _Optional[_Union[ResourceList, _Mapping]] = ..., gpu_limits: _Optional[_Union[GpuLimits, _Mapping]] = ...) -> None: ...

class ResourceList(_message.Message):
    __slots__ = ("cpu_millis", "memory_bytes")
    CPU_MILLIS_FIELD_NUMBER: _ClassVar[int]
    MEMORY_BYTES_FIELD_NUMBER: _ClassVar[int]
    cpu_millis: int
    memory_bytes: int
    def __init__(self, cpu_millis: _Optional[int] = ..., memory_bytes: _Optional[int] = ...) -> None: ...

class GpuLimits(_message.Message):
    __slots__ = ("type", "count")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    type: str
    count: int
    def __init__(self, type: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class EnvironmentSource(_message.Message):
    __slots__ = ("name", "kind")
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        KIND_UNSPECIFIED: _ClassVar[EnvironmentSource.Kind]
        KIND_CONFIG_MAP: _ClassVar[EnvironmentSource.Kind]
        KIND_SECRET: _ClassVar[EnvironmentSource.Kind]
    KIND_UNSPECIFIED: EnvironmentSource.Kind
    KIND_CONFIG_MAP: EnvironmentSource.Kind
    KIND_SECRET: EnvironmentSource.Kind
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    name: str
    kind: EnvironmentSource.Kind
    def __init__(self, name: _Optional[str] = ..., kind: _Optional[_Union[EnvironmentSource.Kind, str]] = ...) -> None: ...

class Network(_message.Message):
    __slots__ = ("interfaces",)
    INTERFACES_FIELD_NUMBER: _ClassVar[int]
    interfaces: _containers.RepeatedCompositeFieldContainer[Interface]
    def __init__(self, interfaces: _Optional[_Iterable[_Union[Interface, _Mapping]]] = ...) -> None: ...

class Interface(_message.Message):
    __slots__ = ("port", "name", "public", "liveness", "readiness", "routes")
    PORT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_FIELD_NUMBER: _ClassVar[int]
    LIVENESS_FIELD_NUMBER: _ClassVar[int]
    READINESS_FIELD_NUMBER: _ClassVar[int]
    ROUTES_FIELD_NUMBER: _ClassVar[int]
    port: int
    name: str
    public: PublicInterface
    liveness: InterfaceProbe
    readiness: InterfaceProbe
    routes: _containers.RepeatedCompositeFieldContainer[HostRoute]
    def __init__(self, port: _Optional[int] = ..., name: _Optional[str] = ..., public: _Optional[_Union[PublicInterface, _Mapping]] = ..., liveness: _Optional[_Union[InterfaceProbe, _Mapping]] = ..., readiness: _Optional[_Union[InterfaceProbe, _Mapping]] = ..., routes: _Optional[_Iterable[_Union[HostRoute, _Mapping]]] = ...) -> None: ...

class HostRoute(_message.Message):
    __slots__ = ("host", "options", "paths", "id")
    HOST_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    PATHS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    host: str
    options: RouteOptions
    paths: _containers.RepeatedCompositeFieldContainer[HTTPPathRoute]
    id: str
    def __init__(self, host: _Optional[str] = ..., options: _Optional[_Union[RouteOptions, _Mapping]] = ..., paths: _Optional[_Iterable[_Union[HTTPPathRoute, _Mapping]]] = ..., id: _Optional[str] = ...) -> None: ...

class HTTPPathRoute(_message.Message):
    __slots__ = ("path", "match")
    PATH_FIELD_NUMBER: _ClassVar[int]
    MATCH_FIELD_NUMBER: _ClassVar[int]
    path: str
    match: PathMatchType
    def __init__(self, path: _Optional[str] = ..., match: _Optional[_Union[PathMatchType, str]] = ...) -> None: ...

class RouteOptions(_message.Message):
    __slots__ = ("annotations",)
    class AnnotationsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    annotations: _containers.ScalarMap[str, str]
    def __init__(self, annotations: _Optional[_Mapping[str, str]] = ...) -> None: ...

class InterfaceProbe(_message.Message):
    __slots__ = ("http", "tcp", "grpc")
    class HTTP(_message.Message):
        __slots__ = ("path",)
        PATH_FIELD_NUMBER: _ClassVar[int]
        path: str
        def __init__(self, path: _Optional[str] = ...) -> None: ...
    class TCP(_message.Message):
        __slots__ = ()
        def __init__(self) -> None: ...
    class GRPC(_message.Message):
        __slots__ = ("service",)
        SERVICE_FIELD_NUMBER: _ClassVar[int]
        service: str
        def __init__(self, service: _Optional[str] = ...) -> None: ...
    HTTP_FIELD_NUMBER: _ClassVar[int]
    TCP_FIELD_NUMBER: _ClassVar[int]
    GRPC_FIELD_NUMBER: _ClassVar[int]
    http: InterfaceProbe.HTTP
    tcp: InterfaceProbe.TCP
    grpc: InterfaceProbe.GRPC
    def __init__(self, http: _Optional[_Union[InterfaceProbe.HTTP, _Mapping]] = ..., tcp: _Optional[_Union[InterfaceProbe.TCP, _Mapping]] = ..., grpc: _Optional[_Union[InterfaceProbe.GRPC, _Mapping]] = ...) -> None: ...

class PublicInterface(_message.Message):
    __slots__ = ("enabled", "method")
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    enabled: bool
    method: RoutingMethod
    def __init__(self, enabled: _Optional[bool] = ..., method: _Optional[_Union[RoutingMethod, _Mapping]] = ...) -> None: ...

class RoutingMethod(_message.Message):
    __slots__ = ("load_balancer", "ingress")
    class LoadBalancer(_message.Message):
        __slots__ = ("port", "node_port")
        PORT_FIELD_NUMBER: _ClassVar[int]
        NODE_PORT_FIELD_NUMBER: _ClassVar[int]
        port: int
        node_port: int
        def __init__(self, port: _Optional[int] = ..., node_port: _Optional[int] = ...) -> None: ...
    class Ingress(_message.Message):
        __slots__ = ("host", "tls", "paths")
        HOST_FIELD_NUMBER: _ClassVar[int]
        TLS_FIELD_NUMBER: _ClassVar[int]
        PATHS_FIELD_NUMBER: _ClassVar[int]
        host: str
        tls: bool
        paths: _containers.RepeatedScalarFieldContainer[str]
        def __init__(self, host: _Optional[str] = ..., tls: _Optional[bool] = ..., paths: _Optional[_Iterable[str]] = ...) -> None: ...
    LOAD_BALANCER_FIELD_NUMBER: _ClassVar[int]
    INGRESS_FIELD_NUMBER: _ClassVar[int]
    load_balancer: RoutingMethod.LoadBalancer
    ingress: RoutingMethod.Ingress
    def __init__(self, load_balancer: _Optional[_Union[RoutingMethod.LoadBalancer, _Mapping]] = ..., ingress: _Optional[_Union[RoutingMethod.Ingress, _Mapping]] = ...) -> None: ...

class HorizontalScale(_message.Message):
    __slots__ = ("max_replicas", "min_replicas", "cpu_target", "custom_metrics")
    MAX_REPLICAS_FIELD_NUMBER: _ClassVar[int]
    MIN_REPLICAS_FIELD_NUMBER: _ClassVar[int]
    CPU_TARGET_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_METRICS_FIELD_NUMBER: _ClassVar[int]
    max_replicas: int
    min_replicas: int
    cpu_target: CPUTarget
    custom_metrics: _containers.RepeatedCompositeFieldContainer[CustomMetric]
    def __init__(self, max_replicas: _Optional[int] = ..., min_replicas: _Optional[int] = ..., cpu_target: _Optional[_Union[CPUTarget, _Mapping]] = ..., custom_metrics: _Optional[_Iterable[_Union[CustomMetric, _Mapping]]] = ...) -> None: ...

class CPUTarget(_message.Message):
    __slots__ = ("average_utilization_percentage",)
    AVERAGE_UTILIZATION_PERCENTAGE_FIELD_NUMBER: _ClassVar[int]
    average_utilization_percentage: int
    def __init__(self, average_utilization_percentage: _Optional[int] = ...) -> None: ...

class CustomMetric(_message.Message):
    __slots__ = ("instance", "object")
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    instance: InstanceMetric
    object: ObjectMetric
    def __init__(self, instance: _Optional[_Union[InstanceMetric, _Mapping]] = ..., object: _Optional[_Union[ObjectMetric, _Mapping]] = ...) -> None: ...

class InstanceMetric(_message.Message):
    __slots__ = ("metric_name", "match_labels", "average_value")
    class MatchLabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    METRIC_NAME_FIELD_NUMBER: _ClassVar[int]
    MATCH_LABELS_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_VALUE_FIELD_NUMBER: _ClassVar[int]
    metric_name: str
    match_labels: _containers.ScalarMap[str, str]
    average_value: str
    def __init__(self, metric_name: _Optional[str] = ..., match_labels: _Optional[_Mapping[str, str]] = ..., average_value: _Optional[str] = ...) -> None: ...

class ObjectMetric(_message.Message):
    __slots__ = ("metric_name", "match_labels", "average_value", "value", "object_reference")
    class MatchLabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    METRIC_NAME_FIELD_NUMBER: _ClassVar[int]
    MATCH_LABELS_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_VALUE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    OBJECT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    metric_name: str
    match_labels: _containers.ScalarMap[str, str]
    average_value: str
    value: str
    object_reference: ObjectReference
    def __init__(self, metric_name: _Optional[str] = ..., match_labels: _Optional[_Mapping[str, str]] = ..., average_value: _Optional[str] = ..., value: _Optional[str] = ..., object_reference: _Optional[_Union[ObjectReference, _Mapping]] = ...) -> None: ...

class ObjectReference(_message.Message):
    __slots__ = ("kind", "name", "api_version")
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    kind: str
    name: str
    api_version: str
    def __init__(self, kind: _Optional[str] = ..., name: _Optional[str] = ..., api_version: _Optional[str] = ...) -> None: ...
