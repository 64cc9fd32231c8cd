import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from rigd.proto.model import auth_pb2 as _auth_pb2
from rigd.proto.model import author_pb2 as _author_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UserIdentifier(_message.Message):
    __slots__ = ("username", "email", "phone_number")
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    username: str
    email: str
    phone_number: str
    def __init__(self, username: _Optional[str] = ..., email: _Optional[str] = ..., phone_number: _Optional[str] = ...) -> None: ...

class UserInfo(_message.Message):
    __slots__ = ("email", "username", "phone_number", "created_at", "group_ids")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    GROUP_IDS_FIELD_NUMBER: _ClassVar[int]
    email: str
    username: str
    phone_number: str
    created_at: _timestamp_pb2.Timestamp
    group_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, email: _Optional[str] = ..., username: _Optional[str] = ..., phone_number: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., group_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class UserEntry(_message.Message):
    __slots__ = ("user_id", "printable_name", "register_info", "verified", "group_ids", "created_at")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PRINTABLE_NAME_FIELD_NUMBER: _ClassVar[int]
    REGISTER_INFO_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_FIELD_NUMBER: _ClassVar[int]
    GROUP_IDS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    printable_name: str
    register_info: RegisterInfo
    verified: bool
    group_ids: _containers.RepeatedScalarFieldContainer[str]
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, user_id: _Optional[str] = ..., printable_name: _Optional[str] = ..., register_info: _Optional[_Union[RegisterInfo, _Mapping]] = ..., verified: _Optional[bool] = ..., group_ids: _Optional[_Iterable[str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ServiceAccountEntry(_message.Message):
    __slots__ = ("service_account_id", "name", "client_id", "group_ids", "created_at", "created_by")
    SERVICE_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_IDS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    service_account_id: str
    name: str
    client_id: str
    group_ids: _containers.RepeatedScalarFieldContainer[str]
    created_at: _timestamp_pb2.Timestamp
    created_by: _author_pb2.Author
    def __init__(self, service_account_id: _Optional[str] = ..., name: _Optional[str] = ..., client_id: _Optional[str] = ..., group_ids: _Optional[_Iterable[str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_by: _Optional[_Union[_author_pb2.Author, _Mapping]] = ...) -> None: ...

class MemberEntry(_message.Message):
    __slots__ = ("user", "service_account", "joined_at")
    USER_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    JOINED_AT_FIELD_NUMBER: _ClassVar[int]
    user: UserEntry
    service_account: ServiceAccountEntry
    joined_at: _timestamp_pb2.Timestamp
    def __init__(self, user: _Optional[_Union[UserEntry, _Mapping]] = ..., service_account: _Optional[_Union[ServiceAccountEntry, _Mapping]] = ..., joined_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterInfo(_message.Message):
    __slots__ = ("creater_id", "method")
    CREATER_ID_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    creater_id: str
    method: RegisterMethod
    def __init__(self, creater_id: _Optional[str] = ..., method: _Optional[_Union[RegisterMethod, _Mapping]] = ...) -> None: ...

class RegisterMethod(_message.Message):
    __slots__ = ("system", "signup")
    class System(_message.Message):
        __slots__ = ()
        def __init__(self) -> None: ...
    class Signup(_message.Message):
        __slots__ = ("login_type",)
        LOGIN_TYPE_FIELD_NUMBER: _ClassVar[int]
        login_type: _auth_pb2.LoginType
        def __init__(self, login_type: _Optional[_Union[_auth_pb2.LoginType, str]] = ...) -> None: ...
    SYSTEM_FIELD_NUMBER: _ClassVar[int]
    SIGNUP_FIELD_NUMBER: _ClassVar[int]
    system: RegisterMethod.System
    signup: RegisterMethod.Signup
    def __init__(self, system: _Optional[_Union[RegisterMethod.System, _Mapping]] = ..., signup: _Optional[_Union[RegisterMethod.Signup, _Mapping]] = ...) -> None: ...
