"""RBAC: the RPC table, scope matching, Deploy's sub-actions and the built-in roles against
the documented capability matrix (rig-behavior 3.2-3.5)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from rigd.domain.context import Actor
from rigd.domain.errors import PermissionDenied, Unauthenticated
from rigd.domain.permissions import BUILT_IN_ROLES, DEPLOY_SUB_ACTIONS, Action, Permission, Scope
from rigd.domain.rbac import AUTH_FREE, SELF_SERVICE, TABLE_SIZE, Target, requirement
from rigd.proto.api.v1.capsule import change_pb2
from rigd.proto.api.v1.capsule import service_pb2 as capsule_pb
from rigd.proto.api.v1.group import group_pb2
from rigd.proto.api.v1.group import service_pb2 as group_pb
from rigd.proto.api.v1.image import service_pb2 as image_pb
from rigd.services.access import ANONYMOUS
from rigd.services.authorization import actions_of, target_of
from rigd.services.calls import CallFailed, Status
from rigd.services.rbac_gate import Authorizer, CachedGrants, CheckingGate
from rigd.services.rpcs import Rpc, all_rpcs

RPCS = {rpc.path: rpc for rpc in all_rpcs()}
ADA = Actor("ada", "Ada", user_id="u-ada")


def rpc(path: str) -> Rpc:
    return RPCS[f"/api.v1.{path}"]


class FixedGrants:
    """A test-only Grants port: each principal's permissions from a dict, lookups counted."""

    def __init__(self, permissions: dict[str, tuple[Permission, ...]]) -> None:
        self.permissions = permissions
        self.lookups = 0

    def permissions_of(self, actor: Actor) -> tuple[Permission, ...]:
        self.lookups += 1
        return self.permissions.get(actor.identifier, ())


def authorizer(*permissions: Permission) -> Authorizer:
    return Authorizer(CachedGrants(FixedGrants({"ada": permissions}), lambda: 0))


def test_every_rpc_is_in_the_table_exactly_once() -> None:
    assert TABLE_SIZE == len(RPCS) == 85
    assert all(requirement(path) != f"unlisted:{path}" for path in RPCS)


def test_an_rpc_missing_from_the_table_needs_a_permission_nobody_has() -> None:
    assert requirement("/api.v1.new.Service/Thing") == "unlisted:/api.v1.new.Service/Thing"


CAPSULE = Permission(Action.CAPSULE_VIEW, Scope("capsule/*"))


@pytest.mark.parametrize(("scope", "project", "environment", "allowed"), [
    (Scope("capsule/*"), "shop", "prod", True),
    (Scope("capsule/*", "prod", "shop"), "shop", "prod", True),
    (Scope("capsule/*", "prod", "shop"), "shop", "dev", False),
    (Scope("capsule/*", "*", "shop"), "blog", "prod", False),
    (Scope("capsule/web"), "shop", "prod", True),
    (Scope("capsule/api"), "shop", "prod", False),
    (Scope("capsule"), "shop", "prod", True),  # a bare type: every capsule
    (Scope("capsule/"), "shop", "prod", True),
    (Scope("image/*"), "shop", "prod", False),  # the wrong type
    (Scope("*"), "shop", "prod", True),
])
def test_scope_matching(scope: Scope, project: str, environment: str, allowed: bool) -> None:
    request = capsule_pb.ListInstancesRequest(capsule_id="web", project_id=project, environment_id=environment)
    call = rpc("capsule.Service/ListInstances")
    gate = authorizer(Permission(Action.CAPSULE_VIEW, scope))
    if allowed:
        gate.authorize(ADA, call, request)
    else:
        with pytest.raises(PermissionDenied, match="capsule:view"):
            gate.authorize(ADA, call, request)


def test_an_rpc_without_environment_accepts_any_environment_in_the_grant() -> None:
    pinned = authorizer(Permission(Action.CAPSULE_VIEW, Scope("capsule/*", "prod", "shop")))
    pinned.authorize(ADA, rpc("capsule.Service/Get"), capsule_pb.GetRequest(capsule_id="web", project_id="shop"))
    with pytest.raises(PermissionDenied):
        pinned.authorize(ADA, rpc("capsule.Service/Get"), capsule_pb.GetRequest(capsule_id="web", project_id="blog"))


def test_platform_wide_rpcs_need_unpinned_grants() -> None:
    pinned = authorizer(Permission(Action.USER_VIEW, Scope("user/*", "*", "shop")))
    with pytest.raises(PermissionDenied, match="user:view"):
        pinned.authorize(ADA, rpc("user.Service/List"), None)
    authorizer(Permission(Action.USER_VIEW, Scope("user/*"))).authorize(ADA, rpc("user.Service/List"), None)


def test_images_are_named_by_their_capsule_too() -> None:
    request = image_pb.DeleteRequest(capsule_id="web", image_id="sha", project_id="shop")
    delete = rpc("image.Service/Delete")
    authorizer(Permission(Action.IMAGE_DELETE, Scope("capsule/web"))).authorize(ADA, delete, request)
    authorizer(Permission(Action.IMAGE_DELETE, Scope("image/sha"))).authorize(ADA, rpc("image.Service/Delete"), request)
    with pytest.raises(PermissionDenied):
        authorizer(Permission(Action.IMAGE_DELETE, Scope("capsule/api"))).authorize(
            ADA, rpc("image.Service/Delete"), request)


def test_members_are_named_by_their_kind() -> None:
    request = group_pb.ListGroupsForMemberRequest(member_id=group_pb2.MemberID(service_account_id="sa-1"))
    assert target_of(rpc("group.Service/ListGroupsForMember"), request) == Target((("serviceaccount", "sa-1"),))
    authorizer(Permission(Action.GROUP_VIEW, Scope("serviceaccount/sa-1"))).authorize(
        ADA, rpc("group.Service/ListGroupsForMember"), request)


ALL_CHANGES: dict[str, Any] = {
    "replicas": 2, "image_id": "sha", "network": None, "container_settings": None,
    "auto_add_rig_service_accounts": True, "set_config_file": None, "remove_config_file": "/etc/a",
    "horizontal_scale": None, "rollback": None, "set_environment_variable": None,
    "remove_environment_variable": "A", "set_environment_source": None, "remove_environment_source": None,
    "command_arguments": None, "add_cron_job": None, "remove_cron_job": None, "set_interface": None,
    "remove_interface": "http", "set_annotations": None, "set_annotation": None, "remove_annotation": "a",
    "add_image": None,
}


def change(kind: str) -> change_pb2.Change:
    value = ALL_CHANGES[kind]
    made = change_pb2.Change()
    if value is None:
        getattr(made, kind).SetInParent()
    else:
        setattr(made, kind, value)
    assert made.WhichOneof("field") == kind
    return made


def deploy(*kinds: str) -> capsule_pb.DeployRequest:
    return capsule_pb.DeployRequest(
        capsule_id="web", project_id="shop", environment_id="prod", changes=[change(kind) for kind in kinds])


def test_every_change_kind_has_a_sub_action() -> None:
    kinds = [field.name for field in change_pb2.Change.DESCRIPTOR.oneofs_by_name["field"].fields]
    assert sorted(kinds) == sorted(ALL_CHANGES) and len(kinds) == 22
    for kind in kinds:
        needed = actions_of(rpc("capsule.Service/Deploy"), deploy(kind))
        assert needed[0] == Action.CAPSULE_DEPLOY and len(needed) == 2
        assert needed[1] in DEPLOY_SUB_ACTIONS  # not the fallback no role holds


def test_deploy_needs_the_sub_action_of_each_change_kind() -> None:
    request = deploy("replicas", "image_id", "set_environment_variable", "remove_environment_variable")
    assert actions_of(rpc("capsule.Service/Deploy"), request) == (
        Action.CAPSULE_DEPLOY, Action.DEPLOY_REPLICA, Action.DEPLOY_IMAGE, Action.DEPLOY_ENVIRONMENT_VARIABLES)
    granted = [Permission(action, Scope("capsule/web")) for action in (
        Action.CAPSULE_DEPLOY, Action.DEPLOY_REPLICA, Action.DEPLOY_IMAGE, Action.DEPLOY_ENVIRONMENT_VARIABLES)]
    authorizer(*granted).authorize(ADA, rpc("capsule.Service/Deploy"), request)
    with pytest.raises(PermissionDenied) as denied:
        authorizer(*granted[:2]).authorize(ADA, rpc("capsule.Service/Deploy"), request)
    assert "capsule:deploy:image" in denied.value.message
    assert "capsule:deploy:environmentvariables" in denied.value.message
    assert "capsule:deploy:replica" not in denied.value.message
    assert "'web'" in denied.value.message and "'shop'" in denied.value.message


def test_a_denial_quotes_long_input_shortly() -> None:
    request = capsule_pb.GetRequest(capsule_id="x" * 5000, project_id="shop")
    with pytest.raises(PermissionDenied) as denied:
        authorizer().authorize(ADA, rpc("capsule.Service/Get"), request)
    assert len(denied.value.message) < 300 and "5000 characters" in denied.value.message


def test_anonymous_callers_reach_only_auth_free_rpcs() -> None:
    gate = authorizer(Permission(Action.PROJECT_VIEW))
    gate.authorize(ANONYMOUS, rpc("authentication.Service/Login"), None)
    for path in ("project.Service/Get", "authentication.Service/Get"):
        with pytest.raises(Unauthenticated):
            gate.authorize(ANONYMOUS, rpc(path), None)
    gate.authorize(ADA, rpc("authentication.Service/Logout"), None)  # self-service: no permission needed


def test_permissions_are_looked_up_once_until_the_read_models_move() -> None:
    source = FixedGrants({"ada": (Permission(Action.PROJECT_VIEW, Scope("project/*")),)})
    version = [0]
    gate = Authorizer(CachedGrants(source, lambda: version[0]))
    for _ in range(3):
        gate.authorize(ADA, rpc("project.Service/Get"), None)
    assert source.lookups == 1
    source.permissions["ada"] = ()
    version[0] += 1
    with pytest.raises(PermissionDenied):
        gate.authorize(ADA, rpc("project.Service/Get"), None)
    assert source.lookups == 2


# The documented capability matrix (rig-behavior 3.2, docs table; 3.4 for the details),
# written from the reference text: the least built-in role that may call each RPC.
VIEWER = {
    "capsule": "Get Logs List ListInstances GetRollout ListRollouts ListEvents CapsuleMetrics GetInstanceStatus "
               "ListInstanceStatuses GetCustomInstanceMetrics GetJobExecutions",
    "cluster": "List GetConfig GetConfigs", "environment": "List GetNamespaces",
    "group": "Get List ListMembers ListGroupsForMember", "image": "GetImageInfo GetRepositoryInfo Get List",
    "project": "Get List PublicKey GetObjectsByKind GetCustomObjectMetrics",
    "project.settings": "GetSettings GetLicenseInfo", "role": "Get List", "service_account": "List",
    "user": "Get GetByIdentifier List ListSessions", "user.settings": "GetSettings",
}
DEVELOPER = {"capsule": "Deploy AbortRollout RestartInstance Execute", "image": "Add"}
OWNER = {
    "capsule": "Create Delete Update StopRollout", "image": "Delete", "user": "Create Update Delete",
    "service_account": "Create Delete", "role": "Create Update Delete",
}
ADMIN = {
    "project": "Create Update Delete", "project.settings": "UpdateSettings", "user.settings": "UpdateSettings",
    "environment": "Create Update Delete", "role": "Assign Revoke",
    "group": "Create Update Delete AddMember RemoveMember",
}
EVERYONE = {
    "authentication": "Login Logout Get Register SendPasswordReset ResetPassword Delete RefreshToken "
                      "GetAuthConfig VerifyEmail VerifyPhoneNumber SendVerificationEmail",
}
ROLES = ("viewer", "developer", "owner", "admin")


def least_role() -> dict[str, str]:
    least: dict[str, str] = {}
    for role, table in (("viewer", VIEWER), ("developer", DEVELOPER), ("owner", OWNER), ("admin", ADMIN),
                        ("", EVERYONE)):
        for package, methods in table.items():
            for method in methods.split():
                path = f"/api.v1.{package}.Service/{method}"
                assert path in RPCS and path not in least, path
                least[path] = role
    return least


def test_the_expected_matrix_covers_every_rpc() -> None:
    assert set(least_role()) == set(RPCS)
    assert {path for path, role in least_role().items() if not role} == {
        path for path in RPCS if requirement(path) in (AUTH_FREE, SELF_SERVICE)}


def example_request(path: str) -> Any:
    """A request naming a project, environment and resource where the message has them;
    Deploy carries every kind of change."""
    if path.endswith("capsule.Service/Deploy"):
        return deploy(*ALL_CHANGES)
    request = RPCS[path].request_class()
    for name, value in (("project_id", "shop"), ("environment_id", "prod"), ("capsule_id", "web")):
        if name in request.DESCRIPTOR.fields_by_name:
            setattr(request, name, value)
    return request


@pytest.mark.parametrize("path", sorted(RPCS))
def test_built_in_roles_match_the_documented_matrix(path: str) -> None:
    least = least_role()[path]
    allowed = {role for role in ROLES if not least or ROLES.index(role) >= ROLES.index(least)}
    for role in ROLES:
        request = example_request(path)
        gate = Authorizer(CachedGrants(FixedGrants({"ada": BUILT_IN_ROLES[role]}), lambda: 0))
        if role in allowed:
            gate.authorize(ADA, RPCS[path], request)
        else:
            with pytest.raises(PermissionDenied):
                gate.authorize(ADA, RPCS[path], request)


class UnreachableGrants:
    def permissions_of(self, actor: Actor) -> tuple[Permission, ...]:
        raise psycopg.OperationalError("connection refused by db.internal:5432")


def test_grants_that_cannot_be_read_make_the_call_unavailable_not_internal() -> None:
    gate = CheckingGate(FixedAuthenticator(), Authorizer(CachedGrants(UnreachableGrants(), lambda: 0)))
    with pytest.raises(CallFailed) as failed:
        gate.authorize(ADA, rpc("project.Service/Get"), None)
    assert failed.value.status == Status.UNAVAILABLE
    assert "db.internal" not in failed.value.message


class FixedAuthenticator:
    def authenticate(self, rpc: Rpc, headers: Any) -> Actor:
        return ADA
