from rigd.proto.api.v1.group import group_pb2 as _group_pb2
from rigd.proto.model import common_pb2 as _common_pb2
from rigd.proto.model import user_pb2 as _user_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateRequest(_message.Message):
    __slots__ = ("initializers",)
    INITIALIZERS_FIELD_NUMBER: _ClassVar[int]
    initializers: _containers.RepeatedCompositeFieldContainer[_group_pb2.Update]
    def __init__(self, initializers: _Optional[_Iterable[_Union[_group_pb2.Update, _Mapping]]] = ...) -> None: ...

class CreateResponse(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: _group_pb2.Group
    def __init__(self, group: _Optional[_Union[_group_pb2.Group, _Mapping]] = ...) -> None: ...

class ListRequest(_message.Message):
    __slots__ = ("pagination", "search")
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    pagination: _common_pb2.Pagination
    search: str
    def __init__(self, pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ..., search: _Optional[str] = ...) -> None: ...

class ListResponse(_message.Message):
    __slots__ = ("groups", "total")
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[_group_pb2.Group]
    total: int
    def __init__(self, groups: _Optional[_Iterable[_Union[_group_pb2.Group, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class DeleteRequest(_message.Message):
    __slots__ = ("group_id",)
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    def __init__(self, group_id: _Optional[str] = ...) -> None: ...

class DeleteResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UpdateRequest(_message.Message):
    __slots__ = ("updates", "group_id")
    UPDATES_FIELD_NUMBER: _ClassVar[int]
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    updates: _containers.RepeatedCompositeFieldContainer[_group_pb2.Update]
    group_id: str
    def __init__(self, updates: _Optional[_Iterable[_Union[_group_pb2.Update, _Mapping]]] = ..., group_id: _Optional[str] = ...) -> None: ...

class UpdateResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetRequest(_message.Message):
    __slots__ = ("group_id",)
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    def __init__(self, group_id: _Optional[str] = ...) -> None: ...

class GetResponse(_message.Message):
    __slots__ = ("group",)
    GROUP_FIELD_NUMBER: _ClassVar[int]
    group: _group_pb2.Group
    def __init__(self, group: _Optional[_Union[_group_pb2.Group, _Mapping]] = ...) -> None: ...

class AddMemberRequest(_message.Message):
    __slots__ = ("group_id", "member_ids")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_IDS_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    member_ids: _containers.RepeatedCompositeFieldContainer[_group_pb2.MemberID]
    def __init__(self, group_id: _Optional[str] = ..., member_ids: _Optional[_Iterable[_Union[_group_pb2.MemberID, _Mapping]]] = ...) -> None: ...

class AddMemberResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RemoveMemberRequest(_message.Message):
    __slots__ = ("group_id", "member_id")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    member_id: _group_pb2.MemberID
    def __init__(self, group_id: _Optional[str] = ..., member_id: _Optional[_Union[_group_pb2.MemberID, _Mapping]] = ...) -> None: ...

class RemoveMemberResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListMembersRequest(_message.Message):
    __slots__ = ("group_id", "pagination")
    GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    group_id: str
    pagination: _common_pb2.Pagination
    def __init__(self, group_id: _Optional[str] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ...) -> None: ...

class ListMembersResponse(_message.Message):
    __slots__ = ("members", "total")
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    members: _containers.RepeatedCompositeFieldContainer[_user_pb2.MemberEntry]
    total: int
    def __init__(self, members: _Optional[_Iterable[_Union[_user_pb2.MemberEntry, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...

class ListGroupsForMemberRequest(_message.Message):
    __slots__ = ("member_id", "pagination")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    member_id: _group_pb2.MemberID
    pagination: _common_pb2.Pagination
    def __init__(self, member_id: _Optional[_Union[_group_pb2.MemberID, _Mapping]] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ...) -> None: ...

class ListGroupsForMemberResponse(_message.Message):
    __slots__ = ("groups", "total")
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[_group_pb2.Group]
    total: int
    def __init__(self, groups: _Optional[_Iterable[_Union[_group_pb2.Group, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...
