from rigd.proto.api.v1.service_account import service_account_pb2 as _service_account_pb2
from rigd.proto.model import user_pb2 as _user_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateRequest(_message.Message):
    __slots__ = ("name", "initial_group_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    INITIAL_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    initial_group_id: str
    def __init__(self, name: _Optional[str] = ..., initial_group_id: _Optional[str] = ...) -> None: ...

class CreateResponse(_message.Message):
    __slots__ = ("service_account", "client_id", "client_secret")
    SERVICE_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CLIENT_SECRET_FIELD_NUMBER: _ClassVar[int]
    service_account: _service_account_pb2.ServiceAccount
    client_id: str
    client_secret: str
    def __init__(self, service_account: _Optional[_Union[_service_account_pb2.ServiceAccount, _Mapping]] = ..., client_id: _Optional[str] = ..., client_secret: _Optional[str] = ...) -> None: ...

class ListRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListResponse(_message.Message):
    __slots__ = ("service_accounts",)
    SERVICE_ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    service_accounts: _containers.RepeatedCompositeFieldContainer[_user_pb2.ServiceAccountEntry]
    def __init__(self, service_accounts: _Optional[_Iterable[_Union[_user_pb2.ServiceAccountEntry, _Mapping]]] = ...) -> None: ...

class DeleteRequest(_message.Message):
    __slots__ = ("service_account_id",)
    SERVICE_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    service_account_id: str
    def __init__(self, service_account_id: _Optional[str] = ...) -> None: ...

class DeleteResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
