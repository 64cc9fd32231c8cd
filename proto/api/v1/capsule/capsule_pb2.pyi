import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from rigd.proto.model import author_pb2 as _author_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Capsule(_message.Message):
    __slots__ = ("capsule_id", "updated_at", "updated_by")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    updated_at: _timestamp_pb2.Timestamp
    updated_by: _author_pb2.Author
    def __init__(self, capsule_id: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_by: _Optional[_Union[_author_pb2.Author, _Mapping]] = ...) -> None: ...

class Update(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
