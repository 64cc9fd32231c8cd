"""Roles: named sets of permissions, assigned to users, service accounts and groups.
A role's id is chosen by its creator (deterministic aggregate id); the four built-in roles
and their groups are made on first start."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rigd.domain.context import SYSTEM, CommandContext, current_context
from rigd.domain.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from rigd.domain.event_store import EventStore
from rigd.domain.events import AuditedCreated, AuditedEvent
from rigd.domain.group_commands import GroupCommands
from rigd.domain.groups import SERVICE_ACCOUNT, USER
from rigd.domain.identity import stable_id
from rigd.domain.lifecycle import Revivable, load_any, load_live
from rigd.domain.naming import quoted, validate_display_name
from rigd.domain.permissions import ANY, BUILT_IN_ROLES, Permission, Scope
from rigd.domain.rbac import Holdings, require_held
from rigd.domain.users import encode_metadata, validate_metadata

GROUP = "group"
ENTITY_KINDS = (USER, SERVICE_ACCOUNT, GROUP)


class RoleNotFound(NotFound):
    def __init__(self, role_id: str) -> None:
        super().__init__(f"role {quoted(role_id)} not found")


class RoleAlreadyExists(AlreadyExists):
    def __init__(self, role_id: str) -> None:
        super().__init__(f"role {quoted(role_id)} already exists")


class BuiltInRole(FailedPrecondition):
    def __init__(self, role_id: str) -> None:
        super().__init__(f"role {quoted(role_id)} is built in: it cannot be changed or deleted")


class AlreadyAssigned(AlreadyExists):
    def __init__(self, role_id: str, entity_id: str) -> None:
        super().__init__(f"role {quoted(role_id)} is already assigned to {quoted(entity_id)}")


class NotAssigned(NotFound):
    def __init__(self, role_id: str, entity_id: str) -> None:
        super().__init__(f"role {quoted(role_id)} is not assigned to {quoted(entity_id)}")


def permission_record(permission: Permission) -> dict[str, str]:
    """A permission as events hold it."""
    scope = permission.scope
    return {"action": permission.action, "resource": scope.resource, "environment": scope.environment,
            "project": scope.project}


def permission_of(record: dict[str, str]) -> Permission:
    return Permission(record["action"], Scope(record["resource"], record["environment"], record["project"]))


def normalized(permission: Permission) -> Permission:
    """A permission as recorded: an empty scope part means any (`*`)."""
    if not permission.action:
        raise InvalidArgument("a permission needs an action")
    scope = permission.scope
    return Permission(permission.action, Scope(scope.resource or ANY, scope.environment or ANY, scope.project or ANY))


class Role(Revivable):
    TOPIC = "role"
    key_field = "role_id"
    not_found = RoleNotFound
    already_exists = RoleAlreadyExists

    class Created(AuditedCreated):
        TOPIC = "role.Created"
        role_id: str
        permissions: list[dict[str, str]]

    class PermissionAdded(AuditedEvent):
        TOPIC = "role.PermissionAdded"
        permission: dict[str, str]

    class PermissionRemoved(AuditedEvent):
        TOPIC = "role.PermissionRemoved"
        permission: dict[str, str]

    class MetadataSet(AuditedEvent):
        TOPIC = "role.MetadataSet"
        key: str
        value: str  # base64

    class MetadataDeleted(AuditedEvent):
        TOPIC = "role.MetadataDeleted"
        key: str

    class Assigned(AuditedEvent):
        TOPIC = "role.Assigned"
        entity_kind: str  # user, service_account or group
        entity_id: str  # a user or service account id, or a group's aggregate id

    class Revoked(AuditedEvent):
        TOPIC = "role.Revoked"
        entity_kind: str
        entity_id: str

    class Deleted(AuditedEvent):
        TOPIC = "role.Deleted"

    class Recreated(AuditedEvent):
        TOPIC = "role.Recreated"
        permissions: list[dict[str, str]]

    @staticmethod
    def create_id(role_id: str, **_: Any) -> UUID:
        return stable_id("role", role_id)

    @event(Created)
    def __init__(self, role_id: str, permissions: list[dict[str, str]]) -> None:
        self.role_id = role_id
        self._start(permissions)

    def _start(self, permissions: list[dict[str, str]]) -> None:
        self.permissions: list[Permission] = list(dict.fromkeys(permission_of(p) for p in permissions))
        self.metadata: dict[str, str] = {}
        self.assignments: set[tuple[str, str]] = set()
        self.deleted = False

    @classmethod
    def define(cls, role_id: str, permissions: Iterable[Permission]) -> Role:
        validate_display_name(role_id, "role_id")
        return cls(role_id, [permission_record(normalized(p)) for p in permissions])

    def revive(self, permissions: Iterable[Permission]) -> None:
        self.require_deleted()
        self._recreated([permission_record(normalized(p)) for p in permissions])

    def add_permission(self, permission: Permission) -> None:
        self.require_live()
        permission = normalized(permission)
        if permission not in self.permissions:
            self._permission_added(permission_record(permission))

    def remove_permission(self, permission: Permission) -> None:
        self.require_live()
        permission = normalized(permission)
        if permission in self.permissions:
            self._permission_removed(permission_record(permission))

    def set_metadata(self, key: str, value: bytes) -> None:
        self.require_live()
        validate_metadata(key, value)
        encoded = encode_metadata(value)
        if self.metadata.get(key) != encoded:
            self._metadata_set(key, encoded)

    def delete_metadata(self, key: str) -> None:
        self.require_live()
        if key in self.metadata:
            self._metadata_deleted(key)

    def assign(self, entity_kind: str, entity_id: str, shown_as: str) -> None:
        self.require_live()
        if (entity_kind, entity_id) in self.assignments:
            raise AlreadyAssigned(self.role_id, shown_as)
        self._assigned(entity_kind, entity_id)

    def revoke(self, entity_kind: str, entity_id: str, shown_as: str) -> None:
        self.require_live()
        if (entity_kind, entity_id) not in self.assignments:
            raise NotAssigned(self.role_id, shown_as)
        self._revoked(entity_kind, entity_id)

    def delete(self) -> None:
        self.require_live()
        self._deleted()

    @event(PermissionAdded)
    def _permission_added(self, permission: dict[str, str]) -> None:
        self.permissions.append(permission_of(permission))

    @event(PermissionRemoved)
    def _permission_removed(self, permission: dict[str, str]) -> None:
        self.permissions.remove(permission_of(permission))

    @event(MetadataSet)
    def _metadata_set(self, key: str, value: str) -> None:
        self.metadata[key] = value

    @event(MetadataDeleted)
    def _metadata_deleted(self, key: str) -> None:
        del self.metadata[key]

    @event(Assigned)
    def _assigned(self, entity_kind: str, entity_id: str) -> None:
        self.assignments.add((entity_kind, entity_id))

    @event(Revoked)
    def _revoked(self, entity_kind: str, entity_id: str) -> None:
        self.assignments.discard((entity_kind, entity_id))

    @event(Deleted)
    def _deleted(self) -> None:
        self.deleted = True

    @event(Recreated)
    def _recreated(self, permissions: list[dict[str, str]]) -> None:
        self._start(permissions)


@dataclass(frozen=True)
class RoleUpdate:
    """One of role.Update's choices: "add_permission" / "remove_permission" (a Permission),
    "set_metadata" ((key, bytes)) or "delete_metadata_key" (a key)."""

    field: str
    value: Any = None


class RoleCommands:
    def __init__(self, store: EventStore, groups: GroupCommands, holdings: Holdings | None = None) -> None:
        """`holdings` (None: no check) keeps callers from putting into a role, or assigning,
        permissions they do not hold themselves."""
        self._store = store
        self._groups = groups
        self._holdings = holdings

    def create(self, ctx: CommandContext, role_id: str, permissions: Sequence[Permission]) -> int:
        validate_display_name(role_id, "role_id")
        checked = [normalized(p) for p in permissions]

        def decide() -> int:
            self._require_held(checked, f"creating role {quoted(role_id)}")
            role = load_any(self._store, Role, role_id)
            if role is None:
                role = Role.define(role_id, checked)
            else:
                role.revive(checked)
            return self._store.record(role)

        return self._store.decide(ctx, decide)

    def update(self, ctx: CommandContext, role_id: str, updates: Sequence[RoleUpdate]) -> int:
        for index, update in enumerate(updates):
            if update.field not in ("add_permission", "remove_permission", "set_metadata", "delete_metadata_key"):
                raise InvalidArgument(f"update {index} sets no field")
            if update.field.endswith("_permission"):
                normalized(update.value)
        _require_not_built_in(role_id)
        added = [normalized(u.value) for u in updates if u.field == "add_permission"]

        def decide() -> int:
            role = load_live(self._store, Role, role_id)
            self._require_held(added, f"adding permissions to role {quoted(role_id)}")
            for update in updates:
                getattr(role, update.field.removesuffix("_key"))(
                    *(update.value if update.field == "set_metadata" else (update.value,)))
            return self._store.record(role)

        return self._store.decide(ctx, decide)

    def delete(self, ctx: CommandContext, role_id: str) -> int:
        _require_not_built_in(role_id)

        def decide() -> int:
            role = load_live(self._store, Role, role_id)
            role.delete()
            return self._store.record(role)

        return self._store.decide(ctx, decide)

    def assign(self, ctx: CommandContext, role_id: str, entity: tuple[str, str]) -> int:
        """Assigns the role to (kind, id): a user or service account id, or a group's name."""
        return self._assignment(ctx, role_id, entity, assign=True)

    def revoke(self, ctx: CommandContext, role_id: str, entity: tuple[str, str]) -> int:
        return self._assignment(ctx, role_id, entity, assign=False)

    def _assignment(self, ctx: CommandContext, role_id: str, entity: tuple[str, str], assign: bool) -> int:
        kind, entity_id = entity
        if kind not in ENTITY_KINDS or not entity_id:
            raise InvalidArgument("entity_id must name a user_id, a service_account_id or a group_id")

        def decide() -> int:
            role = load_live(self._store, Role, role_id)
            target = self._groups.aggregate_id(entity_id) if kind == GROUP else entity_id
            if kind != GROUP and assign:
                self._groups.require_member_exists(kind, entity_id)
            if assign:
                self._require_held(role.permissions, f"assigning role {quoted(role_id)}")
                role.assign(kind, target, entity_id)
            else:
                role.revoke(kind, target, entity_id)
            return self._store.record(role)

        return self._store.decide(ctx, decide)

    def _require_held(self, permissions: Sequence[Permission], doing: str) -> None:
        """Refuses the acting caller (not rigd itself) handing out permissions it does not hold."""
        actor = current_context().actor
        if self._holdings is not None and actor != SYSTEM:
            require_held(self._holdings.permissions_of(actor), permissions, doing)

    def seed_built_ins(self, ctx: CommandContext) -> int:
        """On first start: the built-in roles, each with its group of the same name, the
        role assigned to the group. A role with history (even deleted) is left alone."""
        last = 0
        for role_id, permissions in BUILT_IN_ROLES.items():
            if load_any(self._store, Role, role_id) is not None:
                continue
            last = max(last, self._store.decide(ctx, functools.partial(self._seed_one, role_id, permissions)))
        return last

    def _seed_one(self, role_id: str, permissions: Sequence[Permission]) -> int:
        if load_any(self._store, Role, role_id) is not None:
            return 0  # another replica seeded it at the same moment
        role = Role.define(role_id, permissions)
        made = self._groups.create_built_in(role_id)
        if made is None:
            return self._store.record(role)
        group, claimed = made
        role.assign(GROUP, str(group.id), role_id)
        return self._store.record(role, group, claimed)


def _require_not_built_in(role_id: str) -> None:
    """The built-in roles stay as shipped: editing `owner` would let an owner grow into an admin."""
    if role_id in BUILT_IN_ROLES:
        raise BuiltInRole(role_id)
