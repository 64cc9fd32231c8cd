"""No escalation over the wire, on both stores: an owner holds user:edit, serviceaccount:edit
and role:edit (the v1.8.10 docs table), yet cannot make itself or anyone an admin: members
join a group, and permissions go into roles or to assignees, only within what the caller
holds; the built-in roles cannot be changed or deleted."""

from __future__ import annotations

from typing import Any

import grpc
import pytest

from rigd.domain.permissions import BUILT_IN_ROLES
from rigd.proto.api.v1.group import group_pb2
from rigd.proto.api.v1.group import service_pb2 as group_pb
from rigd.proto.api.v1.group import service_pb2_grpc as group_grpc
from rigd.proto.api.v1.role import role_pb2
from rigd.proto.api.v1.role import service_pb2 as role_pb
from rigd.proto.api.v1.role import service_pb2_grpc as role_grpc
from rigd.proto.api.v1.service_account import service_pb2 as sa_pb
from rigd.proto.api.v1.service_account import service_pb2_grpc as sa_grpc
from rigd.proto.api.v1.user import service_pb2 as user_pb
from rigd.proto.api.v1.user import service_pb2_grpc as user_grpc
from rigd.proto.api.v1.user import user_pb2
from rigd.services.composition import Rigd
from tests.principals import calling_as, service_account, settled


def refusal(call: Any) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value.code(), raised.value.details() or ""


def permission(action: str, resource: str) -> role_pb2.Permission:
    return role_pb2.Permission(action=action, scope=role_pb2.Scope(resource=resource, environment="*", project="*"))


@pytest.fixture
def owner(rigd: Rigd, channel: grpc.Channel) -> grpc.Channel:
    """The test's channel, calling as a service account in the built-in group `owner`."""
    return calling_as(channel, service_account(rigd, "owner").authorization)


def new_user(email: str, group: str) -> user_pb.CreateRequest:
    return user_pb.CreateRequest(initializers=[user_pb2.Update(email=email)], initial_group_id=group)


def test_an_owner_creates_users_and_service_accounts_in_groups_it_covers_but_not_in_admin(
    owner: grpc.Channel,
) -> None:
    users, accounts = user_grpc.ServiceStub(owner), sa_grpc.ServiceStub(owner)
    code, details = refusal(lambda: users.Create(new_user("boss@example.com", "admin")))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert "adding a member to group 'admin' grants permissions you do not hold" in details
    assert "project:edit" in details
    code, details = refusal(lambda: accounts.Create(sa_pb.CreateRequest(name="ci", initial_group_id="admin")))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "group 'admin'" in details
    # nothing was half-made: the refused email is still free
    assert users.Create(new_user("boss@example.com", "developer")).user.user_info.email == "boss@example.com"
    assert accounts.Create(sa_pb.CreateRequest(name="ci", initial_group_id="owner")).client_secret


def test_an_owner_cannot_join_anyone_to_a_group(rigd: Rigd, owner: grpc.Channel) -> None:
    me = service_account(rigd, "")
    code, details = refusal(lambda: group_grpc.ServiceStub(owner).AddMember(group_pb.AddMemberRequest(
        group_id="admin", member_ids=[group_pb2.MemberID(service_account_id=me.service_account_id)])))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "group:edit" in details


def test_an_owner_puts_into_roles_only_permissions_it_holds(channel: grpc.Channel, owner: grpc.Channel) -> None:
    roles = role_grpc.ServiceStub(owner)
    code, details = refusal(lambda: roles.Create(role_pb.CreateRequest(
        role_id="sneaky", permissions=[permission("project:edit", "project/*")])))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert "creating role 'sneaky' grants permissions you do not hold: project:edit on project/*" in details
    roles.Create(role_pb.CreateRequest(role_id="readers", permissions=[permission("capsule:view", "capsule/web")]))
    code, details = refusal(lambda: roles.Update(role_pb.UpdateRequest(
        role_id="readers", updates=[role_pb2.Update(add_permission=permission("role:assign", "role/*"))])))
    assert code == grpc.StatusCode.PERMISSION_DENIED and "role:assign on role/*" in details
    roles.Update(role_pb.UpdateRequest(role_id="readers", updates=[
        role_pb2.Update(add_permission=permission("capsule:view", "capsule/*"))]))
    got = role_grpc.ServiceStub(channel).Get(role_pb.GetRequest(role_id="readers")).role
    assert {p.scope.resource for p in got.permissions} == {"capsule/web", "capsule/*"}


@pytest.mark.parametrize("role_id", sorted(BUILT_IN_ROLES))
def test_built_in_roles_cannot_be_changed_or_deleted_even_by_an_admin(
    channel: grpc.Channel, owner: grpc.Channel, role_id: str,
) -> None:
    for caller in (owner, channel):
        roles = role_grpc.ServiceStub(caller)
        code, details = refusal(lambda: roles.Update(role_pb.UpdateRequest(role_id=role_id, updates=[  # noqa: B023
            role_pb2.Update(add_permission=permission("capsule:view", "capsule/*"))])))
        assert code == grpc.StatusCode.FAILED_PRECONDITION
        assert details == f"role {role_id!r} is built in: it cannot be changed or deleted"
    code, _ = refusal(lambda: role_grpc.ServiceStub(channel).Delete(role_pb.DeleteRequest(role_id=role_id)))
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    listed = role_grpc.ServiceStub(channel).Get(role_pb.GetRequest(role_id=role_id)).role
    assert len(listed.permissions) == len(BUILT_IN_ROLES[role_id])


def test_assigning_a_role_needs_its_permissions(rigd: Rigd, channel: grpc.Channel) -> None:
    """A principal that may assign roles (role:assign, delegated by an admin) still cannot
    assign one granting more than it holds, itself included."""
    admin_roles = role_grpc.ServiceStub(channel)
    admin_roles.Create(role_pb.CreateRequest(role_id="assigner", permissions=[
        permission("role:assign", "role/*")]))
    delegate = service_account(rigd, "developer")
    admin_roles.Assign(role_pb.AssignRequest(
        role_id="assigner", entity_id=role_pb2.EntityID(service_account_id=delegate.service_account_id)))
    settled(rigd, rigd.store.max_notification_id())
    roles = role_grpc.ServiceStub(calling_as(channel, delegate.authorization))
    myself = role_pb2.EntityID(service_account_id=delegate.service_account_id)
    code, details = refusal(lambda: roles.Assign(role_pb.AssignRequest(role_id="admin", entity_id=myself)))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert "assigning role 'admin' grants permissions you do not hold" in details
    roles.Assign(role_pb.AssignRequest(role_id="viewer", entity_id=myself))  # within its developer grants


def test_an_owner_cannot_take_over_an_admin_by_changing_its_password(rigd: Rigd, owner: grpc.Channel) -> None:
    users = user_grpc.ServiceStub(owner)
    admin_id = rigd.identity.users.find_user_id("email", rigd.settings.admin_email)
    code, details = refusal(lambda: users.Update(user_pb.UpdateRequest(
        user_id=admin_id, updates=[user_pb2.Update(password="taken-0ver!")])))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert f"changing user '{admin_id}' grants permissions you do not hold" in details
    developer = users.Create(new_user("dev@example.com", "developer")).user.user_id
    users.Update(user_pb.UpdateRequest(user_id=developer, updates=[user_pb2.Update(password="new-pa55word!")]))
