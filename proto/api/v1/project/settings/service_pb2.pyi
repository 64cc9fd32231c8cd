import datetime

from rigd.proto.api.v1.project import project_pb2 as _project_pb2
from rigd.proto.api.v1.project.settings import settings_pb2 as _settings_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetLicenseInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetLicenseInfoResponse(_message.Message):
    __slots__ = ("plan", "expires_at")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    plan: _project_pb2.Plan
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, plan: _Optional[_Union[_project_pb2.Plan, str]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetSettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetSettingsResponse(_message.Message):
    __slots__ = ("settings",)
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    settings: _settings_pb2.Settings
    def __init__(self, settings: _Optional[_Union[_settings_pb2.Settings, _Mapping]] = ...) -> None: ...

class UpdateSettingsRequest(_message.Message):
    __slots__ = ("updates",)
    UPDATES_FIELD_NUMBER: _ClassVar[int]
    updates: _containers.RepeatedCompositeFieldContainer[_settings_pb2.Update]
    def __init__(self, updates: _Optional[_Iterable[_Union[_settings_pb2.Update, _Mapping]]] = ...) -> None: ...

class UpdateSettingsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
