from rigd.proto.api.v1.user import user_pb2 as _user_pb2
from rigd.proto.model import common_pb2 as _common_pb2
from rigd.proto.model import user_pb2 as _user_pb2_1
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetByIdentifierRequest(_message.Message):
    __slots__ = ("identifier",)
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    identifier: _user_pb2_1.UserIdentifier
    def __init__(self, identifier: _Optional[_Union[_user_pb2_1.UserIdentifier, _Mapping]] = ...) -> None: ...

class GetByIdentifierResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...

class CreateRequest(_message.Message):
    __slots__ = ("initializers", "initial_group_id")
    INITIALIZERS_FIELD_NUMBER: _ClassVar[int]
    INITIAL_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    initializers: _containers.RepeatedCompositeFieldContainer[_user_pb2.Update]
    initial_group_id: str
    def __init__(self, initializers: _Optional[_Iterable[_Union[_user_pb2.Update, _Mapping]]] = ..., initial_group_id: _Optional[str] = ...) -> None: ...

class CreateResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...

class UpdateRequest(_message.Message):
    __slots__ = ("user_id", "updates")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATES_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    updates: _containers.RepeatedCompositeFieldContainer[_user_pb2.Update]
    def __init__(self, user_id: _Optional[str] = ..., updates: _Optional[_Iterable[_Union[_user_pb2.Update, _Mapping]]] = ...) -> None: ...

class UpdateResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class GetResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...

class ListSessionsRequest(_message.Message):
    __slots__ = ("user_id", "pagination")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    pagination: _common_pb2.Pagination
    def __init__(self, user_id: _Optional[str] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ...) -> None: ...

class ListSessionsResponse(_message.Message):
    __slots__ = ("sessions", "total")
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    sessions: _containers.RepeatedCompositeFieldContainer[_user_pb2.SessionEntry]
    total: int
    def __init__(self, sessions: _Optional[_Iterable[_Union[_user_pb2.SessionEntry, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class DeleteRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class DeleteResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRequest(_message.Message):
    __slots__ = ("pagination", "search")
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    pagination: _common_pb2.Pagination
    search: str
    def __init__(self, pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ..., search: _Optional[str] = ...) -> None: ...

class ListResponse(_message.Message):
    __slots__ = ("users", "total")
    USERS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[_user_pb2_1.UserEntry]
    total: int
    def __init__(self, users: _Optional[_Iterable[_Union[_user_pb2_1.UserEntry, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...
