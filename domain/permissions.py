"""The vocabulary of access control: actions, scopes, permissions and the built-in roles.

A permission grants one action within a scope. A scope names a resource (`type/id`, where
the id may be `*` or left out) and the environment and project it lies in (`*` for any).
Roles hold permissions; principals hold roles directly or through their groups. Which
action each RPC needs, and how a request's scope is matched, is the business of
`rigd.domain.rbac`; this module is only the shared words and the built-in data."""

from __future__ import annotations

from dataclasses import dataclass

ANY = "*"


class Action:
    """Every action string rigd checks (the Rig RBAC action names, spelling included)."""

    SETTINGS_VIEW = "settings:view"
    SETTINGS_EDIT = "settings:edit"
    USER_VIEW = "user:view"
    USER_EDIT = "user:edit"
    GROUP_VIEW = "group:view"
    GROUP_EDIT = "group:edit"
    ROLE_VIEW = "role:view"
    ROLE_EDIT = "role:edit"
    ROLE_ASSIGN = "role:assign"
    ROLE_RETRACT = "role:retract"
    SERVICE_ACCOUNT_VIEW = "serviceaccount:view"
    SERVICE_ACCOUNT_EDIT = "serviceaccount:edit"
    PROJECT_VIEW = "project:view"
    PROJECT_EDIT = "project:edit"
    CLUSTER_CONFIG_VIEW = "clusterconfig:view"
    ENVIRONMENT_VIEW = "environment:view"
    ENVIRONMENT_EDIT = "environment:edit"
    IMAGE_VIEW = "image:view"
    IMAGE_ADD = "image:add"
    IMAGE_DELETE = "image:delete"
    CAPSULE_VIEW = "capsule:view"
    CAPSULE_CREATE = "capsule:create"
    CAPSULE_DELETE = "capsule:delete"
    CAPSULE_EDIT = "capsule:edit"
    CAPSULE_DEPLOY = "capsule:deploy"
    CAPSULE_ABORT_ROLLOUT = "capsule:abortrollout"
    CAPSULE_STOP_ROLLOUT = "capsule:stoprollout"
    CAPSULE_EXECUTE = "capsule:execute"
    CAPSULE_RESTART_INSTANCE = "capsule:restartinstance"
    # Deploy needs `capsule:deploy` and, for each kind of change it carries, one of these.
    DEPLOY_REPLICA = "capsule:deploy:replica"
    DEPLOY_AUTOSCALE = "capsule:deploy:autoscale"
    DEPLOY_CONTAINER = "capsule:deploy:container"
    DEPLOY_CONFIG_FILES = "capsule:deploy:configfiles"
    DEPLOY_NETWORK = "capsule:deploy:network"
    DEPLOY_ROLLBACK = "capsule:deploy:rollback"
    DEPLOY_IMAGE = "capsule:deploy:image"
    DEPLOY_SERVICE_ACCOUNT = "capsule:deploy:serviceaccount"
    DEPLOY_CRON_JOBS = "capsule:deploy:chron"  # sic: Rig's spelling
    DEPLOY_ENVIRONMENT_VARIABLES = "capsule:deploy:environmentvariables"
    DEPLOY_ENVIRONMENT_SOURCES = "capsule:deploy:environmentsources"
    DEPLOY_ANNOTATIONS = "capsule:deploy:annotations"


DEPLOY_SUB_ACTIONS: tuple[str, ...] = (
    Action.DEPLOY_REPLICA, Action.DEPLOY_AUTOSCALE, Action.DEPLOY_CONTAINER, Action.DEPLOY_CONFIG_FILES,
    Action.DEPLOY_NETWORK, Action.DEPLOY_ROLLBACK, Action.DEPLOY_IMAGE, Action.DEPLOY_SERVICE_ACCOUNT,
    Action.DEPLOY_CRON_JOBS, Action.DEPLOY_ENVIRONMENT_VARIABLES, Action.DEPLOY_ENVIRONMENT_SOURCES,
    Action.DEPLOY_ANNOTATIONS,
)

RESOURCE_TYPES = (
    "capsule", "image", "user", "group", "project", "role", "serviceaccount", "settings", "cluster", "environment",
)


@dataclass(frozen=True)
class Scope:
    """Where an action is granted: `resource` is `type/id` (`capsule/*`, `group/admin`; a bare
    `type` or `type/` means every resource of the type), `environment` and `project` an id
    or `*`."""

    resource: str = ANY
    environment: str = ANY
    project: str = ANY

    @property
    def resource_type(self) -> str:
        return self.resource.partition("/")[0]

    @property
    def resource_id(self) -> str:
        """The id part; `*` when the scope names every resource of its type."""
        if self.resource == ANY:
            return ANY
        return self.resource.partition("/")[2] or ANY


@dataclass(frozen=True)
class Permission:
    action: str
    scope: Scope = Scope()


def _everywhere(action: str, *resources: str) -> tuple[Permission, ...]:
    return tuple(Permission(action, Scope(resource=resource)) for resource in resources)


_VIEWER = (
    *_everywhere(Action.IMAGE_VIEW, "image/*", "capsule/*"),
    *_everywhere(Action.CAPSULE_VIEW, "capsule/*"),
    *_everywhere(Action.GROUP_VIEW, "group/*", "user/*", "serviceaccount/*"),
    *_everywhere(Action.PROJECT_VIEW, "project/*"),
    *_everywhere(Action.ROLE_VIEW, "role/*"),
    *_everywhere(Action.SERVICE_ACCOUNT_VIEW, "serviceaccount/*"),
    *_everywhere(Action.USER_VIEW, "user/*"),
    *_everywhere(Action.CLUSTER_CONFIG_VIEW, "cluster/*"),
    *_everywhere(Action.SETTINGS_VIEW, "settings/*"),
    *_everywhere(Action.ENVIRONMENT_VIEW, "environment/*"),
)
_DEVELOPER = (
    *_VIEWER,
    *_everywhere(Action.CAPSULE_RESTART_INSTANCE, "capsule/*"),
    *_everywhere(Action.CAPSULE_DEPLOY, "capsule/*"),
    *(Permission(action, Scope(resource="capsule/*")) for action in DEPLOY_SUB_ACTIONS),
    *_everywhere(Action.DEPLOY_SERVICE_ACCOUNT, "serviceaccount/*"),
    *_everywhere(Action.CAPSULE_ABORT_ROLLOUT, "capsule/*"),
    *_everywhere(Action.CAPSULE_EXECUTE, "capsule/*"),
    *_everywhere(Action.IMAGE_ADD, "capsule/*", "image/*"),
)
_OWNER = (
    *_DEVELOPER,
    *_everywhere(Action.CAPSULE_EDIT, "capsule/*"),
    *_everywhere(Action.IMAGE_DELETE, "capsule/*", "image/*"),
    *_everywhere(Action.CAPSULE_STOP_ROLLOUT, "capsule/*"),
    *_everywhere(Action.CAPSULE_CREATE, "capsule/*"),
    *_everywhere(Action.CAPSULE_DELETE, "capsule/*"),
    # The v1.8.10 documentation lets owners create and delete users and service accounts,
    # and update roles.
    *_everywhere(Action.USER_EDIT, "user/*"),
    *_everywhere(Action.SERVICE_ACCOUNT_EDIT, "serviceaccount/*"),
    *_everywhere(Action.ROLE_EDIT, "role/*"),
)
_ADMIN = (
    *_OWNER,
    *_everywhere(Action.PROJECT_EDIT, "project/*"),
    *_everywhere(Action.SETTINGS_EDIT, "settings/*"),
    *_everywhere(Action.ENVIRONMENT_EDIT, "environment/*"),
    *_everywhere(Action.ROLE_ASSIGN, "role/*"),
    *_everywhere(Action.ROLE_RETRACT, "role/*"),
    *_everywhere(Action.GROUP_EDIT, "group/*", "user/*", "serviceaccount/*"),
)

# The four built-in roles; each is assigned to the built-in group of the same name.
BUILT_IN_ROLES: dict[str, tuple[Permission, ...]] = {
    "admin": tuple(dict.fromkeys(_ADMIN)),
    "owner": tuple(dict.fromkeys(_OWNER)),
    "developer": tuple(dict.fromkeys(_DEVELOPER)),
    "viewer": tuple(dict.fromkeys(_VIEWER)),
}

# The resource types each action applies to: those the built-in admin role grants it on (a
# permission on resource `*` means no more than that, e.g. `image:view` on images and capsules).
ACTION_RESOURCE_TYPES: dict[str, tuple[str, ...]] = {}
for _permission in BUILT_IN_ROLES["admin"]:
    _types = ACTION_RESOURCE_TYPES.setdefault(_permission.action, ())
    if _permission.scope.resource_type not in _types:
        ACTION_RESOURCE_TYPES[_permission.action] = (*_types, _permission.scope.resource_type)
