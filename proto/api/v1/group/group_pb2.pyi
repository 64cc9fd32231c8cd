import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from rigd.proto.model import metadata_pb2 as _metadata_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Group(_message.Message):
    __slots__ = ("group_id", "num_members", "metadata", "created_at", "updated_at")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: bytes
        def __init__(self, key: _Optional[str] = ..., value: _Optional[bytes] = ...) -> None: ...
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    NUM_MEMBERS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    num_members: int
    metadata: _containers.ScalarMap[str, bytes]
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, group_id: _Optional[str] = ..., num_members: _Optional[int] = ..., metadata: _Optional[_Mapping[str, bytes]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Update(_message.Message):
    __slots__ = ("group_id", "set_metadata", "delete_metadata_key")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    SET_METADATA_FIELD_NUMBER: _ClassVar[int]
    DELETE_METADATA_KEY_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    set_metadata: _metadata_pb2.Metadata
    delete_metadata_key: str
    def __init__(self, group_id: _Optional[str] = ..., set_metadata: _Optional[_Union[_metadata_pb2.Metadata, _Mapping]] = ..., delete_metadata_key: _Optional[str] = ...) -> None: ...

class MemberID(_message.Message):
    __slots__ = ("service_account_id", "user_id")
    SERVICE_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    service_account_id: str
    user_id: str
    def __init__(self, service_account_id: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...
