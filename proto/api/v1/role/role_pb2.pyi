import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from rigd.proto.model import metadata_pb2 as _metadata_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Role(_message.Message):
    __slots__ = ("role_id", "permissions", "metadata", "created_at", "updated_at")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: bytes
        def __init__(self, key: _Optional[str] = ..., value: _Optional[bytes] = ...) -> None: ...
    ROLE_ID_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    role_id: str
    permissions: _containers.RepeatedCompositeFieldContainer[Permission]
    metadata: _containers.ScalarMap[str, bytes]
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, role_id: _Optional[str] = ..., permissions: _Optional[_Iterable[_Union[Permission, _Mapping]]] = ..., metadata: _Optional[_Mapping[str, bytes]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EntityID(_message.Message):
    __slots__ = ("user_id", "service_account_id", "group_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    service_account_id: str
    group_id: str
    def __init__(self, user_id: _Optional[str] = ..., service_account_id: _Optional[str] = ..., group_id: _Optional[str] = ...) -> None: ...

class Permission(_message.Message):
    __slots__ = ("action", "scope")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    action: str
    scope: Scope
    def __init__(self, action: _Optional[str] = ..., scope: _Optional[_Union[Scope, _Mapping]] = ...) -> None: ...

class Scope(_message.Message):
    __slots__ = ("resource", "environment", "project")
    RESOURCE_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    resource: str
    environment: str
    project: str
    def __init__(self, resource: _Optional[str] = ..., environment: _Optional[str] = ..., project: _Optional[str] = ...) -> None: ...

class Update(_message.Message):
    __slots__ = ("add_permission", "remove_permission", "set_metadata", "delete_metadata_key")
    ADD_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    REMOVE_PERMISSION_FIELD_NUMBER: _ClassVar[int]
    SET_METADATA_FIELD_NUMBER: _ClassVar[int]
    DELETE_METADATA_KEY_FIELD_NUMBER: _ClassVar[int]
    add_permission: Permission
    remove_permission: Permission
    set_metadata: _metadata_pb2.Metadata
    delete_metadata_key: str
    def __init__(self, add_permission: _Optional[_Union[Permission, _Mapping]] = ..., remove_permission: _Optional[_Union[Permission, _Mapping]] = ..., set_metadata: _Optional[_Union[_metadata_pb2.Metadata, _Mapping]] = ..., delete_metadata_key: _Optional[str] = ...) -> None: ...
