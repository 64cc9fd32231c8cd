"""The identity directory over the wire (users, groups, roles, service accounts, user
settings), on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import bcrypt
import grpc
import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from google.protobuf.duration_pb2 import Duration

from rigd.domain.permissions import BUILT_IN_ROLES, Permission, Scope
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
from rigd.proto.api.v1.user.settings import service_pb2 as settings_pb
from rigd.proto.api.v1.user.settings import service_pb2_grpc as settings_grpc
from rigd.proto.api.v1.user.settings import settings_pb2
from rigd.proto.model import common_pb2, metadata_pb2
from rigd.proto.model import user_pb2 as model_user
from rigd.services.composition import Rigd


def status_of(call: Any) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value.code(), raised.value.details()


@pytest.fixture
def users(channel: grpc.Channel) -> user_grpc.ServiceStub:
    return user_grpc.ServiceStub(channel)


@pytest.fixture
def groups(channel: grpc.Channel) -> group_grpc.ServiceStub:
    return group_grpc.ServiceStub(channel)


@pytest.fixture
def roles(channel: grpc.Channel) -> role_grpc.ServiceStub:
    return role_grpc.ServiceStub(channel)


@pytest.fixture
def accounts(channel: grpc.Channel) -> sa_grpc.ServiceStub:
    return sa_grpc.ServiceStub(channel)


def create_user(users: user_grpc.ServiceStub, group: str = "", **fields: Any) -> user_pb2.User:
    initializers = [user_pb2.Update(**{k: v}) for k, v in fields.items()]
    return users.Create(user_pb.CreateRequest(initializers=initializers, initial_group_id=group)).user


def test_user_lifecycle(users: user_grpc.ServiceStub, groups: group_grpc.ServiceStub) -> None:
    user = create_user(users, group="developer", email="ada@example.com", username="ada", password="s3cret!pw",
                       profile=user_pb2.Profile(first_name="Ada", last_name="Lovelace"))
    assert user.user_info.email == "ada@example.com"
    assert list(user.user_info.group_ids) == ["developer"]
    assert user.register_info.method.WhichOneof("method") == "system"
    assert users.Get(user_pb.GetRequest(user_id=user.user_id)).user == user
    by_email = users.GetByIdentifier(user_pb.GetByIdentifierRequest(
        identifier=model_user.UserIdentifier(email="ADA@example.com"))).user
    assert by_email.user_id == user.user_id

    users.Update(user_pb.UpdateRequest(user_id=user.user_id, updates=[
        user_pb2.Update(username="lovelace"), user_pb2.Update(is_email_verified=True),
        user_pb2.Update(set_metadata=metadata_pb2.Metadata(key="team", value=b"\x00core")),
        user_pb2.Update(reset_sessions=user_pb2.Update.ResetSessions())]))
    updated = users.Get(user_pb.GetRequest(user_id=user.user_id)).user
    assert (updated.user_info.username, updated.is_email_verified) == ("lovelace", True)
    assert updated.metadata["team"] == b"\x00core"
    assert updated.new_sessions_since.seconds > 0
    # the old username is free again, the new one is taken
    create_user(users, username="ada")
    code, message = status_of(lambda: create_user(users, username="Lovelace"))
    assert (code, message) == (grpc.StatusCode.ALREADY_EXISTS, "user-identifier already exists")

    listed = users.List(user_pb.ListRequest(search="lovel"))
    assert [(u.user_id, u.printable_name, u.verified) for u in listed.users] == [
        (user.user_id, "Ada Lovelace", True)]
    assert listed.total == 1
    assert users.List(user_pb.ListRequest()).total == 3  # with the first admin
    assert users.ListSessions(user_pb.ListSessionsRequest(user_id=user.user_id)).total == 0

    users.Delete(user_pb.DeleteRequest(user_id=user.user_id))
    assert status_of(lambda: users.Get(user_pb.GetRequest(user_id=user.user_id)))[0] == grpc.StatusCode.NOT_FOUND
    assert groups.Get(group_pb.GetRequest(group_id="developer")).group.num_members == 0
    create_user(users, email="ada@example.com")  # a deleted user's email is free


def test_user_refusals(users: user_grpc.ServiceStub) -> None:
    code, message = status_of(lambda: create_user(users, email="x@example.com", password="short"))
    assert (code, message) == (grpc.StatusCode.INVALID_ARGUMENT,
                               "invalid password; must contain a number, normal symbol and be at least 8 chars long")
    assert status_of(lambda: create_user(users, email="not-an-email"))[0] == grpc.StatusCode.INVALID_ARGUMENT
    assert status_of(lambda: create_user(users, email="x@example.com", group="nope"))[0] == grpc.StatusCode.NOT_FOUND
    assert status_of(lambda: users.Get(user_pb.GetRequest(user_id="nobody")))[0] == grpc.StatusCode.NOT_FOUND
    assert status_of(lambda: users.GetByIdentifier(user_pb.GetByIdentifierRequest(
        identifier=model_user.UserIdentifier(email="ghost@example.com"))))[0] == grpc.StatusCode.NOT_FOUND
    assert users.List(user_pb.ListRequest()).total == 1  # nothing half-written


def test_twenty_concurrent_creates_with_one_email_give_one_user(users: user_grpc.ServiceStub) -> None:
    def attempt(_: int) -> grpc.StatusCode:
        try:
            create_user(users, email="race@example.com")
        except grpc.RpcError as error:
            return error.code()
        return grpc.StatusCode.OK

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, range(20)))
    assert outcomes.count(grpc.StatusCode.OK) == 1
    assert outcomes.count(grpc.StatusCode.ALREADY_EXISTS) == 19
    listed = users.List(user_pb.ListRequest(search="race@"))
    assert listed.total == 1


def test_imported_bcrypt_and_scrypt_hashes_verify_and_ask_for_an_upgrade(
    users: user_grpc.ServiceStub, rigd: Rigd
) -> None:
    bcrypt_hash = bcrypt.hashpw(b"imported1!", bcrypt.gensalt(rounds=4))
    first = create_user(users, email="b@example.com", hashed_password=common_pb2.HashingInstance(
        config=common_pb2.HashingConfig(bcrypt=common_pb2.BcryptHashingConfig(cost=4)), hash=bcrypt_hash))
    # Firebase's published scrypt sample (the parameters Rig's scrypt config carries)
    config = common_pb2.ScryptHashingConfig(
        signer_key="jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==",
        salt_separator="Bw==", rounds=8, mem_cost=14, p=1, key_len=32)
    second = create_user(users, email="s@example.com", hashed_password=common_pb2.HashingInstance(
        config=common_pb2.HashingConfig(scrypt=config),
        hash=base64.b64decode(
            "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ=="),
        scrypt=common_pb2.ScryptHashingInstance(salt=base64.b64decode("42xEC+ixf3L2lw=="))))
    commands = rigd.identity.users
    assert commands.check_password(first.user_id, "imported1!") == (True, True)
    assert commands.check_password(first.user_id, "wrong") == (False, False)
    assert commands.check_password(second.user_id, "user1password") == (True, True)
    assert commands.check_password(second.user_id, "user2password")[0] is False
    # the authentication side upgrades the hash after a successful login
    from rigd.adapters.passwords import Argon2Passwords
    commands.set_password_hash(_ctx(), second.user_id, Argon2Passwords().hash("user1password"))
    assert commands.check_password(second.user_id, "user1password") == (True, False)
    assert commands.find_user_id("email", "S@example.com") == second.user_id


def _ctx() -> Any:
    from rigd.domain.context import CommandContext
    return CommandContext()


def test_built_in_groups_and_roles_exist_and_grant(groups: group_grpc.ServiceStub, roles: role_grpc.ServiceStub,
                                                   users: user_grpc.ServiceStub, rigd: Rigd) -> None:
    assert rigd.wait_for(rigd.store.max_notification_id(), ["groups", "roles", "users"])  # the start-up history
    names = [g.group_id for g in groups.List(group_pb.ListRequest()).groups]
    assert names == ["admin", "owner", "developer", "viewer"]
    listed = roles.List(role_pb.ListRequest())
    assert [r.role_id for r in listed.roles] == ["admin", "owner", "developer", "viewer"]
    viewer = roles.Get(role_pb.GetRequest(role_id="viewer")).role
    assert len(viewer.permissions) == len(BUILT_IN_ROLES["viewer"])
    admin_id = users.List(user_pb.ListRequest()).users[0].user_id
    assert set(rigd.identity.role_queries.grants_of("user", admin_id)) == set(BUILT_IN_ROLES["admin"])


def test_group_rename_frees_the_old_name_and_members(groups: group_grpc.ServiceStub, users: user_grpc.ServiceStub,
                                                     accounts: sa_grpc.ServiceStub) -> None:
    created = groups.Create(group_pb.CreateRequest(initializers=[group_pb2.Update(group_id="ops")])).group
    assert (created.group_id, created.num_members) == ("ops", 0)
    code, message = status_of(lambda: groups.Create(group_pb.CreateRequest(
        initializers=[group_pb2.Update(group_id="ops")])))
    assert (code, message) == (grpc.StatusCode.ALREADY_EXISTS, "group 'ops' already exists")
    user = create_user(users, email="m@example.com")
    account = accounts.Create(sa_pb.CreateRequest(name="ci"))
    account_id = account.client_id.removeprefix("rig_")
    groups.AddMember(group_pb.AddMemberRequest(group_id="ops", member_ids=[
        group_pb2.MemberID(user_id=user.user_id), group_pb2.MemberID(service_account_id=account_id)]))
    code, message = status_of(lambda: groups.AddMember(group_pb.AddMemberRequest(
        group_id="ops", member_ids=[group_pb2.MemberID(user_id=user.user_id)])))
    assert (code, message) == (grpc.StatusCode.ALREADY_EXISTS, "the user is already a member of the group")
    assert status_of(lambda: groups.AddMember(group_pb.AddMemberRequest(
        group_id="ops", member_ids=[group_pb2.MemberID(user_id="00000000-0000-4000-8000-000000000000")])))[0] \
        == grpc.StatusCode.NOT_FOUND

    groups.Update(group_pb.UpdateRequest(group_id="ops", updates=[
        group_pb2.Update(group_id="platform"),
        group_pb2.Update(set_metadata=metadata_pb2.Metadata(key="k", value=b"v"))]))
    renamed = groups.Get(group_pb.GetRequest(group_id="platform")).group
    assert (renamed.num_members, renamed.metadata["k"]) == (2, b"v")
    assert status_of(lambda: groups.Get(group_pb.GetRequest(group_id="ops")))[0] == grpc.StatusCode.NOT_FOUND
    groups.Create(group_pb.CreateRequest(initializers=[group_pb2.Update(group_id="ops")]))  # the old name is free

    members = groups.ListMembers(group_pb.ListMembersRequest(group_id="platform"))
    assert members.total == 2
    assert [m.WhichOneof("entry") for m in members.members] == ["user", "service_account"]
    assert members.members[0].user.user_id == user.user_id and members.members[0].joined_at.seconds > 0
    of_user = groups.ListGroupsForMember(group_pb.ListGroupsForMemberRequest(
        member_id=group_pb2.MemberID(user_id=user.user_id)))
    assert [g.group_id for g in of_user.groups] == ["platform"]
    assert list(users.Get(user_pb.GetRequest(user_id=user.user_id)).user.user_info.group_ids) == ["platform"]

    groups.RemoveMember(group_pb.RemoveMemberRequest(group_id="platform",
                                                     member_id=group_pb2.MemberID(user_id=user.user_id)))
    assert groups.Get(group_pb.GetRequest(group_id="platform")).group.num_members == 1
    groups.Delete(group_pb.DeleteRequest(group_id="platform"))
    assert groups.List(group_pb.ListRequest(search="plat")).total == 0


def test_roles_crud_assign_and_revoke(roles: role_grpc.ServiceStub, groups: group_grpc.ServiceStub,
                                      users: user_grpc.ServiceStub, rigd: Rigd) -> None:
    permission = role_pb2.Permission(action="capsule:view", scope=role_pb2.Scope(resource="capsule/web"))
    created = roles.Create(role_pb.CreateRequest(role_id="web-viewer", permissions=[permission])).role
    assert created.permissions[0].scope.project == "*"
    assert status_of(lambda: roles.Create(role_pb.CreateRequest(role_id="web-viewer")))[0] \
        == grpc.StatusCode.ALREADY_EXISTS
    roles.Update(role_pb.UpdateRequest(role_id="web-viewer", updates=[
        role_pb2.Update(add_permission=role_pb2.Permission(action="image:view")),
        role_pb2.Update(set_metadata=metadata_pb2.Metadata(key="roleType", value=b"custom"))]))
    fetched = roles.Get(role_pb.GetRequest(role_id="web-viewer")).role
    assert [p.action for p in fetched.permissions] == ["capsule:view", "image:view"]

    user = create_user(users, email="r@example.com")
    groups.Create(group_pb.CreateRequest(initializers=[group_pb2.Update(group_id="web")]))
    groups.AddMember(group_pb.AddMemberRequest(group_id="web", member_ids=[group_pb2.MemberID(user_id=user.user_id)]))
    roles.Assign(role_pb.AssignRequest(role_id="web-viewer", entity_id=role_pb2.EntityID(group_id="web")))
    assert status_of(lambda: roles.Assign(role_pb.AssignRequest(
        role_id="web-viewer", entity_id=role_pb2.EntityID(group_id="web"))))[0] == grpc.StatusCode.ALREADY_EXISTS
    grants = rigd.identity.role_queries.grants_of("user", user.user_id)
    assert Permission("image:view", Scope("*", "*", "*")) in grants
    # renaming the group keeps its role
    groups.Update(group_pb.UpdateRequest(group_id="web", updates=[group_pb2.Update(group_id="web-team")]))
    assert len(rigd.identity.role_queries.grants_of("user", user.user_id)) == 2
    roles.Revoke(role_pb.RevokeRequest(role_id="web-viewer", entity_id=role_pb2.EntityID(group_id="web-team")))
    assert rigd.identity.role_queries.grants_of("user", user.user_id) == []
    roles.Delete(role_pb.DeleteRequest(role_id="web-viewer"))
    assert status_of(lambda: roles.Get(role_pb.GetRequest(role_id="web-viewer")))[0] == grpc.StatusCode.NOT_FOUND


def test_service_accounts(accounts: sa_grpc.ServiceStub, rigd: Rigd) -> None:
    created = accounts.Create(sa_pb.CreateRequest(name="deployer", initial_group_id="developer"))
    assert created.client_id.startswith("rig_") and len(created.client_id) == 40
    assert created.client_secret.startswith("secret_") and len(created.client_secret) == 71
    assert list(created.service_account.group_ids) == ["developer"]
    listed = accounts.List(sa_pb.ListRequest()).service_accounts
    assert [(a.name, a.client_id, list(a.group_ids)) for a in listed] == [
        ("deployer", created.client_id, ["developer"])]
    commands = rigd.identity.service_accounts
    account_id = listed[0].service_account_id
    assert commands.check_secret(created.client_id, created.client_secret) == account_id
    assert commands.check_secret(created.client_id, "secret_" + "0" * 64) is None
    assert set(rigd.identity.role_queries.grants_of("service_account", account_id)) == set(BUILT_IN_ROLES["developer"])
    assert status_of(lambda: accounts.Create(sa_pb.CreateRequest(name="")))[0] == grpc.StatusCode.INVALID_ARGUMENT
    accounts.Delete(sa_pb.DeleteRequest(service_account_id=account_id))
    assert accounts.List(sa_pb.ListRequest()).service_accounts == []
    assert commands.check_secret(created.client_id, created.client_secret) is None


def test_user_settings(channel: grpc.Channel, rigd: Rigd) -> None:
    stub = settings_grpc.ServiceStub(channel)
    defaults = stub.GetSettings(settings_pb.GetSettingsRequest()).settings
    assert (defaults.access_token_ttl.seconds, defaults.refresh_token_ttl.seconds,
            defaults.verification_code_ttl.seconds) == (3600, 7 * 24 * 3600, 600)
    before = rigd.store.max_notification_id()
    stub.UpdateSettings(settings_pb.UpdateSettingsRequest(settings=[
        settings_pb2.Update(access_token_ttl=Duration(seconds=3600))]))
    assert rigd.store.max_notification_id() == before  # a no-op records nothing
    stub.UpdateSettings(settings_pb.UpdateSettingsRequest(settings=[
        settings_pb2.Update(allow_register=True), settings_pb2.Update(access_token_ttl=Duration(seconds=900)),
        settings_pb2.Update(email_provider=settings_pb2.EmailProvider(
            **{"from": "rig@example.com"}, credentials={"public_key": "mailer", "private_key": "smtp-pa55!"},
            instance=settings_pb2.EmailInstance(smtp=settings_pb2.SmtpInstance(host="127.0.0.1", port=2525))))]))
    current = stub.GetSettings(settings_pb.GetSettingsRequest()).settings
    assert (current.allow_register, current.access_token_ttl.seconds) == (True, 900)
    assert current.email_provider.instance.smtp.port == 2525
    assert current.email_provider.client_id == "mailer"
    assert "smtp-pa55!" not in str(current)
    assert rigd.identity.user_settings.email_secret() == "smtp-pa55!"
    assert status_of(lambda: stub.UpdateSettings(settings_pb.UpdateSettingsRequest(settings=[
        settings_pb2.Update(refresh_token_ttl=Duration(seconds=-1))])))[0] == grpc.StatusCode.INVALID_ARGUMENT


def test_scrypt_sample_is_firebase_compatible() -> None:
    """The sample above is what Firebase's algorithm gives (guards the test's own data)."""
    derived = hashlib.scrypt(b"user1password", salt=base64.b64decode("42xEC+ixf3L2lw==") + b"\x07",
                             n=2**14, r=8, p=1, dklen=32)
    encryptor = Cipher(algorithms.AES(derived), modes.CTR(b"\0" * 16)).encryptor()
    assert encryptor.update(base64.b64decode(
        "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA=="))[:4]
