import datetime

from rigd.proto.api.v1.capsule import capsule_pb2 as _capsule_pb2
from rigd.proto.api.v1.capsule import change_pb2 as _change_pb2
from rigd.proto.api.v1.capsule import event_pb2 as _event_pb2
from rigd.proto.api.v1.capsule import instance_pb2 as _instance_pb2
from rigd.proto.api.v1.capsule.instance import status_pb2 as _status_pb2
from rigd.proto.api.v1.capsule import job_pb2 as _job_pb2
from rigd.proto.api.v1.capsule import log_pb2 as _log_pb2
from rigd.proto.api.v1.capsule import metrics_pb2 as _metrics_pb2
from rigd.proto.api.v1.capsule import rollout_pb2 as _rollout_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from rigd.proto.model import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StreamData(_message.Message):
    __slots__ = ("data", "closed")
    DATA_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    closed: bool
    def __init__(self, data: _Optional[bytes] = ..., closed: _Optional[bool] = ...) -> None: ...

class ExecuteRequest(_message.Message):
    __slots__ = ("start", "stdin", "resize", "project_id", "environment_id")
    class Start(_message.Message):
        __slots__ = ("capsule_id", "instance_id", "command", "arguments", "tty", "interactive")
        CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
        INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
        COMMAND_FIELD_NUMBER: _ClassVar[int]
        ARGUMENTS_FIELD_NUMBER: _ClassVar[int]
        TTY_FIELD_NUMBER: _ClassVar[int]
        INTERACTIVE_FIELD_NUMBER: _ClassVar[int]
        capsule_id: str
        instance_id: str
        command: str
        arguments: _containers.RepeatedScalarFieldContainer[str]
        tty: ExecuteRequest.Resize
        interactive: bool
        def __init__(self, capsule_id: _Optional[str] = ..., instance_id: _Optional[str] = ..., command: _Optional[str] = ..., arguments: _Optional[_Iterable[str]] = ..., tty: _Optional[_Union[ExecuteRequest.Resize, _Mapping]] = ..., interactive: _Optional[bool] = ...) -> None: ...
    class Resize(_message.Message):
        __slots__ = ("height", "width")
        HEIGHT_FIELD_NUMBER: _ClassVar[int]
        WIDTH_FIELD_NUMBER: _ClassVar[int]
        height: int
        width: int
        def __init__(self, height: _Optional[int] = ..., width: _Optional[int] = ...) -> None: ...
    START_FIELD_NUMBER: _ClassVar[int]
    STDIN_FIELD_NUMBER: _ClassVar[int]
    RESIZE_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    start: ExecuteRequest.Start
    stdin: StreamData
    resize: ExecuteRequest.Resize
    project_id: str
    environment_id: str
    def __init__(self, start: _Optional[_Union[ExecuteRequest.Start, _Mapping]] = ..., stdin: _Optional[_Union[StreamData, _Mapping]] = ..., resize: _Optional[_Union[ExecuteRequest.Resize, _Mapping]] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ...) -> None: ...

class ExecuteResponse(_message.Message):
    __slots__ = ("stdout", "stderr", "exit_code")
    STDOUT_FIELD_NUMBER: _ClassVar[int]
    STDERR_FIELD_NUMBER: _ClassVar[int]
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    stdout: StreamData
    stderr: StreamData
    exit_code: int
    def __init__(self, stdout: _Optional[_Union[StreamData, _Mapping]] = ..., stderr: _Optional[_Union[StreamData, _Mapping]] = ..., exit_code: _Optional[int] = ...) -> None: ...

class CreateRequest(_message.Message):
    __slots__ = ("name", "initializers", "project_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    INITIALIZERS_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    initializers: _containers.RepeatedCompositeFieldContainer[_capsule_pb2.Update]
    project_id: str
    def __init__(self, name: _Optional[str] = ..., initializers: _Optional[_Iterable[_Union[_capsule_pb2.Update, _Mapping]]] = ..., project_id: _Optional[str] = ...) -> None: ...

class CreateResponse(_message.Message):
    __slots__ = ("capsule_id",)
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    def __init__(self, capsule_id: _Optional[str] = ...) -> None: ...

class GetRequest(_message.Message):
    __slots__ = ("capsule_id", "project_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    project_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class GetResponse(_message.Message):
    __slots__ = ("capsule",)
    CAPSULE_FIELD_NUMBER: _ClassVar[int]
    capsule: _capsule_pb2.Capsule
    def __init__(self, capsule: _Optional[_Union[_capsule_pb2.Capsule, _Mapping]] = ...) -> None: ...

class DeleteRequest(_message.Message):
    __slots__ = ("capsule_id", "project_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    project_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., project_id: _Optional[str] = ...) -> None: ...

class DeleteResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class LogsRequest(_message.Message):
    __slots__ = ("capsule_id", "instance_id", "follow", "since", "project_id", "environment_id", "previous_containers")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_CONTAINERS_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    instance_id: str
    follow: bool
    since: _duration_pb2.Duration
    project_id: str
    environment_id: str
    previous_containers: bool
    def __init__(self, capsule_id: _Optional[str] = ..., instance_id: _Optional[str] = ..., follow: _Optional[bool] = ..., since: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ..., previous_containers: _Optional[bool] = ...) -> None: ...

class LogsResponse(_message.Message):
    __slots__ = ("log",)
    LOG_FIELD_NUMBER: _ClassVar[int]
    log: _log_pb2.Log
    def __init__(self, log: _Optional[_Union[_log_pb2.Log, _Mapping]] = ...) -> None: ...

class UpdateRequest(_message.Message):
    __slots__ = ("capsule_id", "updates", "project_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATES_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    updates: _containers.RepeatedCompositeFieldContainer[_capsule_pb2.Update]
    project_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., updates: _Optional[_Iterable[_Union[_capsule_pb2.Update, _Mapping]]] = ..., project_id: _Optional[str] = ...) -> None: ...

class UpdateResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRequest(_message.Message):
    __slots__ = ("pagination", "project_id")
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    pagination: _common_pb2.Pagination
    project_id: str
    def __init__(self, pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ..., project_id: _Optional[str] = ...) -> None: ...

class ListResponse(_message.Message):
    __slots__ = ("capsules", "total")
    CAPSULES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    capsules: _containers.RepeatedCompositeFieldContainer[_capsule_pb2.Capsule]
    total: int
    def __init__(self, capsules: _Optional[_Iterable[_Union[_capsule_pb2.Capsule, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class DeployRequest(_message.Message):
    __slots__ = ("capsule_id", "changes", "force", "project_id", "environment_id", "message", "dry_run", "current_rollout_id", "force_override")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    CURRENT_ROLLOUT_ID_FIELD_NUMBER: _ClassVar[int]
    FORCE_OVERRIDE_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    changes: _containers.RepeatedCompositeFieldContainer[_change_pb2.Change]
    force: bool
    project_id: str
    environment_id: str
    message: str
    dry_run: bool
    current_rollout_id: int
    force_override: bool
    def __init__(self, capsule_id: _Optional[str] = ..., changes: _Optional[_Iterable[_Union[_change_pb2.Change, _Mapping]]] = ..., force: _Optional[bool] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ..., message: _Optional[str] = ..., dry_run: _Optional[bool] = ..., current_rollout_id: _Optional[int] = ..., force_override: _Optional[bool] = ...) -> None: ...

class DeployResponse(_message.Message):
    __slots__ = ("rollout_id", "resource_yaml", "rollout_config")
    class ResourceYamlEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ROLLOUT_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_YAML_FIELD_NUMBER: _ClassVar[int]
    ROLLOUT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    rollout_id: int
    resource_yaml: _containers.ScalarMap[str, str]
    rollout_config: _rollout_pb2.RolloutConfig
    def __init__(self, rollout_id: _Optional[int] = ..., resource_yaml: _Optional[_Mapping[str, str]] = ..., rollout_config: _Optional[_Union[_rollout_pb2.RolloutConfig, _Mapping]] = ...) -> None: ...

class ListInstancesRequest(_message.Message):
    __slots__ = ("capsule_id", "pagination", "project_id", "environment_id", "include_deleted", "exclude_existing")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DELETED_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_EXISTING_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    pagination: _common_pb2.Pagination
    project_id: str
    environment_id: str
    include_deleted: bool
    exclude_existing: bool
    def __init__(self, capsule_id: _Optional[str] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ..., include_deleted: _Optional[bool] = ..., exclude_existing: _Optional[bool] = ...) -> None: ...

class ListInstancesResponse(_message.Message):
    __slots__ = ("instances", "total")
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    instances: _containers.RepeatedCompositeFieldContainer[_instance_pb2.Instance]
    total: int
    def __init__(self, instances: _Optional[_Iterable[_Union[_instance_pb2.Instance, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class GetInstanceStatusRequest(_message.Message):
    __slots__ = ("capsule_id", "instance_id", "project_id", "environment_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    instance_id: str
    project_id: str
    environment_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., instance_id: _Optional[str] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ...) -> None: ...

class GetInstanceStatusResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ...) -> None: ...

class ListInstanceStatusesRequest(_message.Message):
    __slots__ = ("capsule_id", "pagination", "project_id", "environment_id", "include_deleted", "exclude_existing")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DELETED_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_EXISTING_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    pagination: _common_pb2.Pagination
    project_id: str
    environment_id: str
    include_deleted: bool
    exclude_existing: bool
    def __init__(self, capsule_id: _Optional[str] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ..., include_deleted: _Optional[bool] = ..., exclude_existing: _Optional[bool] = ...) -> None: ...

class ListInstanceStatusesResponse(_message.Message):
    __slots__ = ("instances", "total")
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    instances: _containers.RepeatedCompositeFieldContainer[_status_pb2.Status]
    total: int
    def __init__(self, instances: _Optional[_Iterable[_Union[_status_pb2.Status, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class RestartInstanceRequest(_message.Message):
    __slots__ = ("capsule_id", "instance_id", "project_id", "environment_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    instance_id: str
    project_id: str
    environment_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., instance_id: _Optional[str] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ...) -> None: ...

class RestartInstanceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRolloutsRequest(_message.Message):
    __slots__ = ("capsule_id", "pagination", "project_id", "environment_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    pagination: _common_pb2.Pagination
    project_id: str
    environment_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ...) -> None: ...

class ListRolloutsResponse(_message.Message):
    __slots__ = ("rollouts", "total")
    ROLLOUTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    rollouts: _containers.RepeatedCompositeFieldContainer[_rollout_pb2.Rollout]
    total: int
    def __init__(self, rollouts: _Optional[_Iterable[_Union[_rollout_pb2.Rollout, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class GetRolloutRequest(_message.Message):
    __slots__ = ("capsule_id", "rollout_id", "project_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    ROLLOUT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    rollout_id: int
    project_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., rollout_id: _Optional[int] = ..., project_id: _Optional[str] = ...) -> None: ...

class GetRolloutResponse(_message.Message):
    __slots__ = ("rollout",)
    ROLLOUT_FIELD_NUMBER: _ClassVar[int]
    rollout: _rollout_pb2.Rollout
    def __init__(self, rollout: _Optional[_Union[_rollout_pb2.Rollout, _Mapping]] = ...) -> None: ...

class AbortRolloutRequest(_message.Message):
    __slots__ = ("capsule_id", "rollout_id", "project_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    ROLLOUT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    rollout_id: int
    project_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., rollout_id: _Optional[int] = ..., project_id: _Optional[str] = ...) -> None: ...

class AbortRolloutResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class StopRolloutRequest(_message.Message):
    __slots__ = ("capsule_id", "rollout_id", "project_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    ROLLOUT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    rollout_id: int
    project_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., rollout_id: _Optional[int] = ..., project_id: _Optional[str] = ...) -> None: ...

class StopRolloutResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListEventsRequest(_message.Message):
    __slots__ = ("capsule_id", "rollout_id", "pagination", "project_id", "environment_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    ROLLOUT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    rollout_id: int
    pagination: _common_pb2.Pagination
    project_id: str
    environment_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., rollout_id: _Optional[int] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ...) -> None: ...

class ListEventsResponse(_message.Message):
    __slots__ = ("events", "total")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[_event_pb2.Event]
    total: int
    def __init__(self, events: _Optional[_Iterable[_Union[_event_pb2.Event, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class CapsuleMetricsRequest(_message.Message):
    __slots__ = ("capsule_id", "instance_id", "project_id", "environment_id", "since")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    instance_id: str
    project_id: str
    environment_id: str
    since: _timestamp_pb2.Timestamp
    def __init__(self, capsule_id: _Optional[str] = ..., instance_id: _Optional[str] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CapsuleMetricsResponse(_message.Message):
    __slots__ = ("instance_metrics",)
    INSTANCE_METRICS_FIELD_NUMBER: _ClassVar[int]
    instance_metrics: _containers.RepeatedCompositeFieldContainer[_metrics_pb2.InstanceMetrics]
    def __init__(self, instance_metrics: _Optional[_Iterable[_Union[_metrics_pb2.InstanceMetrics, _Mapping]]] = ...) -> None: ...

class GetCustomInstanceMetricsRequest(_message.Message):
    __slots__ = ("capsule_id", "project_id", "environment_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    project_id: str
    environment_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ...) -> None: ...

class GetCustomInstanceMetricsResponse(_message.Message):
    __slots__ = ("metrics",)
    METRICS_FIELD_NUMBER: _ClassVar[int]
    metrics: _containers.RepeatedCompositeFieldContainer[Metric]
    def __init__(self, metrics: _Optional[_Iterable[_Union[Metric, _Mapping]]] = ...) -> None: ...

class Metric(_message.Message):
    __slots__ = ("name", "latest_value", "latest_timestamp")
    NAME_FIELD_NUMBER: _ClassVar[int]
    LATEST_VALUE_FIELD_NUMBER: _ClassVar[int]
    LATEST_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    name: str
    latest_value: float
    latest_timestamp: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., latest_value: _Optional[float] = ..., latest_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetJobExecutionsRequest(_message.Message):
    __slots__ = ("capsule_id", "job_name", "states", "created_from", "created_to", "pagination", "project_id", "environment_id")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    CREATED_FROM_FIELD_NUMBER: _ClassVar[int]
    CREATED_TO_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    job_name: str
    states: _containers.RepeatedScalarFieldContainer[_job_pb2.JobState]
    created_from: _timestamp_pb2.Timestamp
    created_to: _timestamp_pb2.Timestamp
    pagination: _common_pb2.Pagination
    project_id: str
    environment_id: str
    def __init__(self, capsule_id: _Optional[str] = ..., job_name: _Optional[str] = ..., states: _Optional[_Iterable[_Union[_job_pb2.JobState, str]]] = ..., created_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_to: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ..., project_id: _Optional[str] = ..., environment_id: _Optional[str] = ...) -> None: ...

class GetJobExecutionsResponse(_message.Message):
    __slots__ = ("job_executions", "total")
    JOB_EXECUTIONS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    job_executions: _containers.RepeatedCompositeFieldContainer[_job_pb2.JobExecution]
    total: int
    def __init__(self, job_executions: _Optional[_Iterable[_Union[_job_pb2.JobExecution, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...
