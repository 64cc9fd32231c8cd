"""Which action each RPC needs, and whether a set of permissions grants it (rig-behavior 3.3, 3.5).

Plain data and rules: the services layer says what a request targets (`Target`), the
directory says what a principal holds, and `Entitlements.refusal` decides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from rigd.domain.context import Actor
from rigd.domain.errors import PermissionDenied
from rigd.domain.naming import quoted
from rigd.domain.permissions import ACTION_RESOURCE_TYPES, ANY, Action, Permission, Scope

# What an RPC needs besides an action: nothing at all, or only a known caller.
AUTH_FREE = "auth-free"  # callable without credentials (rig-behavior 1.2)
SELF_SERVICE = "self-service"  # any authenticated caller, about itself; no permission

_A = Action
_TABLE: tuple[tuple[str, str, str], ...] = (
    ("authentication", "Login", AUTH_FREE),
    ("authentication", "Logout", SELF_SERVICE),
    ("authentication", "Get", SELF_SERVICE),
    ("authentication", "Register", AUTH_FREE),
    ("authentication", "SendPasswordReset", AUTH_FREE),
    ("authentication", "ResetPassword", AUTH_FREE),
    ("authentication", "Delete", SELF_SERVICE),
    ("authentication", "RefreshToken", AUTH_FREE),
    ("authentication", "GetAuthConfig", AUTH_FREE),
    ("authentication", "VerifyEmail", AUTH_FREE),
    # Not in the SDK's auth-free list (it sends a bearer when it has one), and in no RBAC map.
    ("authentication", "VerifyPhoneNumber", SELF_SERVICE),
    ("authentication", "SendVerificationEmail", SELF_SERVICE),
    ("capsule", "Create", _A.CAPSULE_CREATE),
    ("capsule", "Get", _A.CAPSULE_VIEW),
    ("capsule", "Delete", _A.CAPSULE_DELETE),
    ("capsule", "Logs", _A.CAPSULE_VIEW),
    ("capsule", "Update", _A.CAPSULE_EDIT),
    ("capsule", "List", _A.CAPSULE_VIEW),
    ("capsule", "Deploy", _A.CAPSULE_DEPLOY),
    ("capsule", "ListInstances", _A.CAPSULE_VIEW),
    ("capsule", "RestartInstance", _A.CAPSULE_RESTART_INSTANCE),
    ("capsule", "GetRollout", _A.CAPSULE_VIEW),
    ("capsule", "ListRollouts", _A.CAPSULE_VIEW),
    ("capsule", "AbortRollout", _A.CAPSULE_ABORT_ROLLOUT),
    ("capsule", "StopRollout", _A.CAPSULE_STOP_ROLLOUT),
    ("capsule", "ListEvents", _A.CAPSULE_VIEW),
    ("capsule", "CapsuleMetrics", _A.CAPSULE_VIEW),
    ("capsule", "GetInstanceStatus", _A.CAPSULE_VIEW),
    ("capsule", "ListInstanceStatuses", _A.CAPSULE_VIEW),
    ("capsule", "Execute", _A.CAPSULE_EXECUTE),
    ("capsule", "GetCustomInstanceMetrics", _A.CAPSULE_VIEW),
    ("capsule", "GetJobExecutions", _A.CAPSULE_VIEW),
    ("cluster", "List", _A.CLUSTER_CONFIG_VIEW),
    ("cluster", "GetConfig", _A.CLUSTER_CONFIG_VIEW),
    ("cluster", "GetConfigs", _A.CLUSTER_CONFIG_VIEW),
    ("environment", "Create", _A.ENVIRONMENT_EDIT),
    ("environment", "Update", _A.ENVIRONMENT_EDIT),
    ("environment", "Delete", _A.ENVIRONMENT_EDIT),
    ("environment", "List", _A.ENVIRONMENT_VIEW),
    ("environment", "GetNamespaces", _A.ENVIRONMENT_VIEW),
    ("group", "Create", _A.GROUP_EDIT),
    ("group", "Delete", _A.GROUP_EDIT),
    ("group", "List", _A.GROUP_VIEW),
    ("group", "Update", _A.GROUP_EDIT),
    ("group", "Get", _A.GROUP_VIEW),
    ("group", "AddMember", _A.GROUP_EDIT),
    ("group", "RemoveMember", _A.GROUP_EDIT),
    ("group", "ListMembers", _A.GROUP_VIEW),
    ("group", "ListGroupsForMember", _A.GROUP_VIEW),
    ("image", "GetImageInfo", _A.IMAGE_VIEW),
    ("image", "GetRepositoryInfo", _A.IMAGE_VIEW),
    ("image", "Get", _A.IMAGE_VIEW),
    ("image", "Add", _A.IMAGE_ADD),
    ("image", "List", _A.IMAGE_VIEW),
    ("image", "Delete", _A.IMAGE_DELETE),
    ("project", "Create", _A.PROJECT_EDIT),
    ("project", "Delete", _A.PROJECT_EDIT),
    ("project", "Get", _A.PROJECT_VIEW),
    ("project", "List", _A.PROJECT_VIEW),
    ("project", "Update", _A.PROJECT_EDIT),
    ("project", "PublicKey", _A.PROJECT_VIEW),
    ("project", "GetObjectsByKind", _A.PROJECT_VIEW),
    ("project", "GetCustomObjectMetrics", _A.PROJECT_VIEW),
    ("project.settings", "GetSettings", _A.SETTINGS_VIEW),
    ("project.settings", "UpdateSettings", _A.SETTINGS_EDIT),
    ("project.settings", "GetLicenseInfo", _A.SETTINGS_VIEW),
    ("role", "Create", _A.ROLE_EDIT),
    ("role", "Delete", _A.ROLE_EDIT),
    ("role", "List", _A.ROLE_VIEW),
    ("role", "Update", _A.ROLE_EDIT),
    ("role", "Get", _A.ROLE_VIEW),
    ("role", "Assign", _A.ROLE_ASSIGN),
    ("role", "Revoke", _A.ROLE_RETRACT),
    ("service_account", "Create", _A.SERVICE_ACCOUNT_EDIT),
    ("service_account", "List", _A.SERVICE_ACCOUNT_VIEW),
    ("service_account", "Delete", _A.SERVICE_ACCOUNT_EDIT),
    ("user", "Create", _A.USER_EDIT),
    ("user", "Update", _A.USER_EDIT),
    ("user", "ListSessions", _A.USER_VIEW),
    ("user", "Get", _A.USER_VIEW),
    ("user", "GetByIdentifier", _A.USER_VIEW),
    ("user", "List", _A.USER_VIEW),
    ("user", "Delete", _A.USER_EDIT),
    ("user.settings", "GetSettings", _A.SETTINGS_VIEW),
    ("user.settings", "UpdateSettings", _A.SETTINGS_EDIT),
)


class DuplicateRpc(ValueError):
    """The table names one RPC twice: one of the two entries would silently win."""


def _indexed(table: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for package, method, need in table:
        path = f"/api.v1.{package}.Service/{method}"
        if path in index:
            raise DuplicateRpc(f"{path} appears twice in the RBAC table")
        index[path] = need
    return index


# RPC path -> AUTH_FREE, SELF_SERVICE or the action it needs.
REQUIRED: Mapping[str, str] = _indexed(_TABLE)
TABLE_SIZE = len(_TABLE)


def requirement(path: str) -> str:
    """AUTH_FREE, SELF_SERVICE or the action `path` needs; an unknown path needs a permission
    nobody holds, so a new RPC left out of the table is refused rather than open."""
    return REQUIRED.get(path, f"unlisted:{path}")


def needs_credentials(path: str) -> bool:
    return requirement(path) != AUTH_FREE


def needs_permission(path: str) -> bool:
    return requirement(path) not in (AUTH_FREE, SELF_SERVICE)


# Deploy: the sub-action each kind of change (the `field` oneof of api.v1.capsule.Change) needs.
DEPLOY_CHANGE_ACTIONS: Mapping[str, str] = {
    "replicas": _A.DEPLOY_REPLICA,
    "image_id": _A.DEPLOY_IMAGE,
    "add_image": _A.DEPLOY_IMAGE,
    "network": _A.DEPLOY_NETWORK,
    "set_interface": _A.DEPLOY_NETWORK,
    "remove_interface": _A.DEPLOY_NETWORK,
    "container_settings": _A.DEPLOY_CONTAINER,
    "command_arguments": _A.DEPLOY_CONTAINER,
    "auto_add_rig_service_accounts": _A.DEPLOY_SERVICE_ACCOUNT,
    "set_config_file": _A.DEPLOY_CONFIG_FILES,
    "remove_config_file": _A.DEPLOY_CONFIG_FILES,
    "horizontal_scale": _A.DEPLOY_AUTOSCALE,
    "rollback": _A.DEPLOY_ROLLBACK,
    "set_environment_variable": _A.DEPLOY_ENVIRONMENT_VARIABLES,
    "remove_environment_variable": _A.DEPLOY_ENVIRONMENT_VARIABLES,
    "set_environment_source": _A.DEPLOY_ENVIRONMENT_SOURCES,
    "remove_environment_source": _A.DEPLOY_ENVIRONMENT_SOURCES,
    "add_cron_job": _A.DEPLOY_CRON_JOBS,
    "remove_cron_job": _A.DEPLOY_CRON_JOBS,
    "set_annotations": _A.DEPLOY_ANNOTATIONS,
    "set_annotation": _A.DEPLOY_ANNOTATIONS,
    "remove_annotation": _A.DEPLOY_ANNOTATIONS,
}


def deploy_actions(change_kinds: Iterable[str]) -> tuple[str, ...]:
    """`capsule:deploy` and the sub-action of every kind of change present, each once. A kind
    this table does not know (a newer proto) needs a sub-action nobody holds."""
    sub_actions = (DEPLOY_CHANGE_ACTIONS.get(kind, f"{_A.CAPSULE_DEPLOY}:{kind}") for kind in change_kinds)
    return tuple(dict.fromkeys((_A.CAPSULE_DEPLOY, *sub_actions)))


@dataclass(frozen=True)
class Target:
    """What a request is about: its project and environment ("" when it carries none) and the
    resources it names (`(type, id)`, id "" when it names none, e.g. List or a nameless Create).
    Several resources are alternatives: a grant on any of them will do (images are named by
    both their capsule and themselves)."""

    resources: tuple[tuple[str, str], ...]
    project: str = ""
    environment: str = ""

    def describe(self) -> str:
        first_type, first_id = self.resources[0] if self.resources else ("", "")
        parts = [f"{first_type} {quoted(first_id)}" if first_id else (f"{first_type}/*" if first_type else "")]
        if self.project:
            parts.append(f"project {quoted(self.project)}")
        if self.environment:
            parts.append(f"environment {quoted(self.environment)}")
        return ", ".join(part for part in parts if part)


def grants(scope: Scope, target: Target) -> bool:
    """Whether a permission with `scope` covers `target` (its action already matched)."""
    if scope.project != ANY and scope.project != target.project:
        return False
    # A project-scoped request that names no environment (capsule Get, images) accepts any
    # environment in the grant; a platform-wide one (no project) only `*`.
    environment_free = not target.environment and bool(target.project)
    if scope.environment not in (ANY, target.environment) and not environment_free:
        return False
    return any(_covers(scope, kind, identifier) for kind, identifier in target.resources)


def _covers(scope: Scope, kind: str, identifier: str) -> bool:
    if scope.resource == ANY:
        return True
    if scope.resource_type != kind:
        return False
    return scope.resource_id == ANY or scope.resource_id == identifier


class Entitlements:
    """A principal's permissions, indexed by action for the hot path."""

    def __init__(self, permissions: Iterable[Permission]) -> None:
        by_action: dict[str, list[Scope]] = {}
        for permission in permissions:
            by_action.setdefault(permission.action, []).append(permission.scope)
        self._scopes = {action: tuple(dict.fromkeys(scopes)) for action, scopes in by_action.items()}

    def allows(self, action: str, target: Target) -> bool:
        return any(grants(scope, target) for scope in self._scopes.get(action, ()))

    def missing(self, actions: Sequence[str], target: Target) -> list[str]:
        return [action for action in actions if not self.allows(action, target)]

    def check(self, actions: Sequence[str], target: Target) -> None:
        """Raises PermissionDenied naming the actions not granted on `target`."""
        missing = self.missing(actions, target)
        if missing:
            on = target.describe()
            raise PermissionDenied(
                f"permission denied: missing {', '.join(missing)}" + (f" on {on}" if on else ""))


# Granting: a principal may only hand out what it holds (no escalation through the directory).


def covers(held: Permission, wanted: Permission) -> bool:
    """Whether holding `held` includes everything `wanted` grants: the same action, on a scope
    at least as wide (`*` covers any id; a named id covers only itself)."""
    if held.action != wanted.action:
        return False
    mine, theirs = held.scope, wanted.scope
    if mine.project not in (ANY, theirs.project) or mine.environment not in (ANY, theirs.environment):
        return False
    if mine.resource == ANY:
        return True
    if mine.resource_type != theirs.resource_type:
        return False
    return mine.resource_id in (ANY, theirs.resource_id)


def ungranted(held: Iterable[Permission], wanted: Iterable[Permission]) -> list[Permission]:
    """The permissions of `wanted` that `held` does not cover, each once, in order. One on
    resource `*` is covered by holding the action on every resource type it applies to."""
    holdings = tuple(held)

    def covered(permission: Permission) -> bool:
        return any(covers(mine, permission) for mine in holdings)

    return [permission for permission in dict.fromkeys(wanted)
            if not covered(permission) and not all(covered(typed) for typed in _typed(permission))]


def _typed(permission: Permission) -> list[Permission]:
    """A permission on resource `*` as one per resource type its action applies to (none
    for an action rigd does not know: only `*` itself covers it)."""
    scope = permission.scope
    if scope.resource != ANY or permission.action not in ACTION_RESOURCE_TYPES:
        return [permission]
    return [Permission(permission.action, Scope(f"{kind}/*", scope.environment, scope.project))
            for kind in ACTION_RESOURCE_TYPES[permission.action]]


def require_held(held: Iterable[Permission], wanted: Iterable[Permission], doing: str) -> None:
    """Raises PermissionDenied, naming what is missing, unless `held` covers all of `wanted`:
    `doing` (e.g. "adding a member to group 'admin'") would hand it out."""
    missing = ungranted(held, wanted)
    if missing:
        shown = ", ".join(f"{p.action} on {p.scope.resource}" for p in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise PermissionDenied(
            f"permission denied: {doing} grants permissions you do not hold: {shown}{more}")


class Holdings(Protocol):
    """What principals hold, for the command side's no-escalation checks (the identity
    directory's read models answer it)."""

    def permissions_of(self, actor: Actor) -> Sequence[Permission]:
        """The permissions of the roles assigned to `actor` and to its groups."""

    def permissions_of_group(self, group_aggregate_id: str) -> Sequence[Permission]:
        """The permissions of the roles assigned to the group: what joining it grants."""
