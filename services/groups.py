"""api.v1.group.Service."""

from __future__ import annotations

from typing import Any

from rigd.domain.errors import InvalidArgument
from rigd.domain.group_commands import GroupCommands, GroupUpdate
from rigd.domain.groups import SERVICE_ACCOUNT, USER
from rigd.projections.groups import GroupQueries, GroupView
from rigd.projections.service_accounts import ServiceAccountQueries
from rigd.projections.users import UserQueries
from rigd.proto.api.v1.group import group_pb2
from rigd.proto.api.v1.group import service_pb2 as pb
from rigd.proto.model import user_pb2 as model_user
from rigd.services.calls import Call, ReadYourWrites
from rigd.services.mapping import page, timestamp
from rigd.services.service_accounts import service_account_entry
from rigd.services.users import user_entry

SERVICE = "api.v1.group.Service"


def group_message(view: GroupView) -> group_pb2.Group:
    return group_pb2.Group(group_id=view.group_id, num_members=view.num_members, metadata=view.metadata,
                           created_at=timestamp(view.created_at), updated_at=timestamp(view.updated_at))


def group_updates(updates: Any) -> list[GroupUpdate]:
    result = []
    for index, update in enumerate(updates):
        field = update.WhichOneof("field")
        if field is None:
            raise InvalidArgument(f"update {index} sets no field")
        value = (update.set_metadata.key, update.set_metadata.value) if field == "set_metadata" \
            else getattr(update, field)
        result.append(GroupUpdate(field, value))
    return result


def member_of(member_id: group_pb2.MemberID) -> tuple[str, str]:
    kind = member_id.WhichOneof("kind")
    if kind is None:
        raise InvalidArgument("a member id must set user_id or service_account_id")
    return (USER if kind == "user_id" else SERVICE_ACCOUNT), getattr(member_id, kind)


class GroupServicer:
    def __init__(
        self, commands: GroupCommands, queries: GroupQueries, users: UserQueries,
        service_accounts: ServiceAccountQueries, settle: ReadYourWrites,
    ) -> None:
        self._commands = commands
        self._queries = queries
        self._users = users
        self._service_accounts = service_accounts
        self._settle = settle

    def Create(self, request: pb.CreateRequest, call: Call) -> pb.CreateResponse:
        written, name = self._commands.create(call.context(), group_updates(request.initializers))
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.CreateResponse(group=group_message(self._queries.get(name)))

    def Delete(self, request: pb.DeleteRequest, call: Call) -> pb.DeleteResponse:
        written = self._commands.delete(call.context(), request.group_id)
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.DeleteResponse()

    def List(self, request: pb.ListRequest, call: Call) -> pb.ListResponse:
        groups, total = self._queries.list_page(page(request.pagination), request.search)
        return pb.ListResponse(groups=[group_message(g) for g in groups], total=total)

    def Update(self, request: pb.UpdateRequest, call: Call) -> pb.UpdateResponse:
        written = self._commands.update(call.context(), request.group_id, group_updates(request.updates))
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.UpdateResponse()

    def Get(self, request: pb.GetRequest, call: Call) -> pb.GetResponse:
        return pb.GetResponse(group=group_message(self._queries.get(request.group_id)))

    def AddMember(self, request: pb.AddMemberRequest, call: Call) -> pb.AddMemberResponse:
        members = [member_of(m) for m in request.member_ids]
        written = self._commands.add_members(call.context(), request.group_id, members)
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.AddMemberResponse()

    def RemoveMember(self, request: pb.RemoveMemberRequest, call: Call) -> pb.RemoveMemberResponse:
        written = self._commands.remove_member(call.context(), request.group_id, member_of(request.member_id))
        self._settle(written, self._queries.read_models, call.deadline)
        return pb.RemoveMemberResponse()

    def ListMembers(self, request: pb.ListMembersRequest, call: Call) -> pb.ListMembersResponse:
        memberships, total = self._queries.members_page(request.group_id, page(request.pagination))
        users = self._users.get_many([m.member_id for m in memberships if m.member_kind == USER])
        accounts = self._service_accounts.get_many([m.member_id for m in memberships if m.member_kind != USER])
        members = []
        for membership in memberships:
            entry = model_user.MemberEntry(joined_at=timestamp(membership.joined_at))
            if membership.member_kind == USER and membership.member_id in users:
                entry.user.CopyFrom(user_entry(users[membership.member_id]))
            elif membership.member_id in accounts:
                entry.service_account.CopyFrom(service_account_entry(accounts[membership.member_id]))
            members.append(entry)
        return pb.ListMembersResponse(members=members, total=total)

    def ListGroupsForMember(
        self, request: pb.ListGroupsForMemberRequest, call: Call
    ) -> pb.ListGroupsForMemberResponse:
        kind, member_id = member_of(request.member_id)
        groups, total = self._queries.groups_of_page(kind, member_id, page(request.pagination))
        return pb.ListGroupsForMemberResponse(groups=[group_message(g) for g in groups], total=total)
