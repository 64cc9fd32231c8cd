import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ContainerMetrics(_message.Message):
    __slots__ = ("timestamp", "memory_bytes", "cpu_ms", "storage_bytes")
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    MEMORY_BYTES_FIELD_NUMBER: _ClassVar[int]
    CPU_MS_FIELD_NUMBER: _ClassVar[int]
    STORAGE_BYTES_FIELD_NUMBER: _ClassVar[int]
    timestamp: _timestamp_pb2.Timestamp
    memory_bytes: int
    cpu_ms: int
    storage_bytes: int
    def __init__(self, timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., memory_bytes: _Optional[int] = ..., cpu_ms: _Optional[int] = ..., storage_bytes: _Optional[int] = ...) -> None: ...

class InstanceMetrics(_message.Message):
    __slots__ = ("capsule_id", "instance_id", "main_container", "proxy_container")
    CAPSULE_ID_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    MAIN_CONTAINER_FIELD_NUMBER: _ClassVar[int]
    PROXY_CONTAINER_FIELD_NUMBER: _ClassVar[int]
    capsule_id: str
    instance_id: str
    main_container: ContainerMetrics
    proxy_container: ContainerMetrics
    def __init__(self, capsule_id: _Optional[str] = ..., instance_id: _Optional[str] = ..., main_container: _Optional[_Union[ContainerMetrics, _Mapping]] = ..., proxy_container: _Optional[_Union[ContainerMetrics, _Mapping]] = ...) -> None: ...
