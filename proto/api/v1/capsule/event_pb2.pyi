import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from rigd.proto.model import author_pb2 as _author_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Event(_message.Message):
    __slots__ = ("created_by", "created_at", "rollout_id", "message", "event_data")
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ROLLOUT_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    EVENT_DATA_FIELD_NUMBER: _ClassVar[int]
    created_by: _author_pb2.Author
    created_at: _timestamp_pb2.Timestamp
    rollout_id: int
    message: str
    event_data: EventData
    def __init__(self, created_by: _Optional[_Union[_author_pb2.Author, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rollout_id: _Optional[int] = ..., message: _Optional[str] = ..., event_data: _Optional[_Union[EventData, _Mapping]] = ...) -> None: ...

class RolloutEvent(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AbortEvent(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ErrorEvent(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class EventData(_message.Message):
    __slots__ = ("rollout", "error", "abort")
    ROLLOUT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ABORT_FIELD_NUMBER: _ClassVar[int]
    rollout: RolloutEvent
    error: ErrorEvent
    abort: AbortEvent
    def __init__(self, rollout: _Optional[_Union[RolloutEvent, _Mapping]] = ..., error: _Optional[_Union[ErrorEvent, _Mapping]] = ..., abort: _Optional[_Union[AbortEvent, _Mapping]] = ...) -> None: ...
