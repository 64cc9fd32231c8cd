import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Log(_message.Message):
    __slots__ = ("timestamp", "message", "instance_id")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    timestamp: _timestamp_pb2.Timestamp
    message: LogMessage
    instance_id: str
    def __init__(self, timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., message: _Optional[_Union[LogMessage, _Mapping]] = ..., instance_id: _Optional[str] = ...) -> None: ...

class LogMessage(_message.Message):
    __slots__ = ("stdout", "stderr", "container_termination")
    class ContainerTermination(_message.Message):
        __slots__ = ()
        def __init__(self) -> None: ...
    STDOUT_FIELD_NUMBER: _ClassVar[int]
    STDERR_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_TERMINATION_FIELD_NUMBER: _ClassVar[int]
    stdout: bytes
    stderr: bytes
    container_termination: LogMessage.ContainerTermination
    def __init__(self, stdout: _Optional[bytes] = ..., stderr: _Optional[bytes] = ..., container_termination: _Optional[_Union[LogMessage.ContainerTermination, _Mapping]] = ...) -> None: ...
