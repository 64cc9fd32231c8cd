import datetime

from rigd.proto.api.v1.capsule import change_pb2 as _change_pb2
from rigd.proto.api.v1.capsule import job_pb2 as _job_pb2
from rigd.proto.api.v1.capsule.rollout import status_pb2 as _status_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from rigd.proto.model import author_pb2 as _author_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EVENT_TYPE_UNSPECIFIED: _ClassVar[EventType]
    EVENT_TYPE_ABORT: _ClassVar[EventType]
EVENT_TYPE_UNSPECIFIED: EventType
EVENT_TYPE_ABORT: EventType

class Rollout(_message.Message):
    __slots__ = ("rollout_id", "config", "status")
    ROLLOUT_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    rollout_id: int
    config: RolloutConfig
    status: _status_pb2.Status
    def __init__(self, rollout_id: _Optional[int] = ..., config: _Optional[_Union[RolloutConfig, _Mapping]] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ...) -> None: ...

class RolloutConfig(_message.Message):
    __slots__ = ("created_by", "created_at", "changes", "replicas", "image_id", "network", "container_settings", "auto_add_rig_service_accounts", "config_files", "horizontal_scale", "cron_jobs", "environment_id", "message", "annotations")
    class AnnotationsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    REPLICAS_FIELD_NUMBER: _ClassVar[int]
    IMAGE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_SETTINGS_FIELD_NUMBER: _ClassVar[int]
    AUTO_ADD_RIG_SERVICE_ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FILES_FIELD_NUMBER: _ClassVar[int]
    HORIZONTAL_SCALE_FIELD_NUMBER: _ClassVar[int]
    CRON_JOBS_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    created_by: _author_pb2.Author
    created_at: _timestamp_pb2.Timestamp
    changes: _containers.RepeatedCompositeFieldContainer[_change_pb2.Change]
    replicas: int
    image_id: str
    network: _change_pb2.Network
    container_settings: _change_pb2.ContainerSettings
    auto_add_rig_service_accounts: bool
    config_files: _containers.RepeatedCompositeFieldContainer[ConfigFile]
    horizontal_scale: _change_pb2.HorizontalScale
    cron_jobs: _containers.RepeatedCompositeFieldContainer[_job_pb2.CronJob]
    environment_id: str
    message: str
    annotations: _containers.ScalarMap[str, str]
    def __init__(self, created_by: _Optional[_Union[_author_pb2.Author, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., changes: _Optional[_Iterable[_Union[_change_pb2.Change, _Mapping]]] = ..., replicas: _Optional[int] = ..., image_id: _Optional[str] = ..., network: _Optional[_Union[_change_pb2.Network, _Mapping]] = ..., container_settings: _Optional[_Union[_change_pb2.ContainerSettings, _Mapping]] = ..., auto_add_rig_service_accounts: _Optional[bool] = ..., config_files: _Optional[_Iterable[_Union[ConfigFile, _Mapping]]] = ..., horizontal_scale: _Optional[_Union[_change_pb2.HorizontalScale, _Mapping]] = ..., cron_jobs: _Optional[_Iterable[_Union[_job_pb2.CronJob, _Mapping]]] = ..., environment_id: _Optional[str] = ..., message: _Optional[str] = ..., annotations: _Optional[_Mapping[str, str]] = ...) -> None: ...

class ConfigFile(_message.Message):
    __slots__ = ("path", "content", "updated_by", "updated_at", "is_secret")
    PATH_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    IS_SECRET_FIELD_NUMBER: _ClassVar[int]
    path: str
    content: bytes
    updated_by: _author_pb2.Author
    updated_at: _timestamp_pb2.Timestamp
    is_secret: bool
    def __init__(self, path: _Optional[str] = ..., content: _Optional[bytes] = ..., updated_by: _Optional[_Union[_author_pb2.Author, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., is_secret: _Optional[bool] = ...) -> None: ...
