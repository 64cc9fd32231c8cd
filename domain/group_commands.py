"""Command side of groups: load, decide, save once (with the name claims a rename moves)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from rigd.domain.claims import NameClaim, NameTaken, claim, holder, release
from rigd.domain.context import SYSTEM, CommandContext, current_context
from rigd.domain.errors import InvalidArgument
from rigd.domain.event_store import EventStore
from rigd.domain.groups import SERVICE_ACCOUNT, USER, Group, GroupAlreadyExists, GroupNotFound, validate_group_name
from rigd.domain.naming import quoted
from rigd.domain.permissions import Action
from rigd.domain.rbac import Entitlements, Holdings, Target, require_held
from rigd.domain.service_accounts import ServiceAccount, ServiceAccountNotFound
from rigd.domain.users import User, UserNotFound

CLAIM_KIND = "group"


@dataclass(frozen=True)
class GroupUpdate:
    """One of group.Update's choices: "group_id" (a new name), "set_metadata" ((key,
    bytes)) or "delete_metadata_key" (a key)."""

    field: str
    value: Any = None


class GroupCommands:
    def __init__(self, store: EventStore, holdings: Holdings | None = None) -> None:
        """`holdings` (None: no check) keeps callers from joining anyone to a group whose
        roles grant more than they hold."""
        self._store = store
        self._holdings = holdings

    def create(self, ctx: CommandContext, initializers: Sequence[GroupUpdate]) -> tuple[int, str]:
        """Creates a group named by the last `group_id` initializer. Returns (notification id, name)."""
        names = [u.value for u in initializers if u.field == "group_id"]
        if not names:
            raise InvalidArgument("a group needs a group_id (its name)")
        _check(initializers)

        def decide() -> tuple[int, str]:
            group = Group(names[-1])
            claims = self._claim(group.name, group)
            self._apply(group, [u for u in initializers if u.field != "group_id"])
            return self._store.record(group, *claims), group.name

        return self._store.decide(ctx, decide)

    def create_built_in(self, name: str) -> tuple[Group, NameClaim] | None:
        """A new group `name` and its claim, to save with what else is decided; None if the
        name is taken (a group of that name exists)."""
        group = Group(name)
        try:
            claimed = claim(self._store, CLAIM_KIND, name, str(group.id))
        except NameTaken:
            return None
        return (group, claimed) if claimed else None

    def update(self, ctx: CommandContext, group_id: str, updates: Sequence[GroupUpdate]) -> int:
        _check(updates)

        def decide() -> int:
            group = self.load_live(group_id)
            before = group.name
            self._apply(group, updates)
            claims: list[NameClaim] = []
            if group.name != before:
                freed = release(self._store, CLAIM_KIND, before, str(group.id))
                claims = [*([freed] if freed else []), *self._claim(group.name, group)]
            return self._store.record(group, *claims)

        return self._store.decide(ctx, decide)

    def delete(self, ctx: CommandContext, group_id: str) -> int:
        def decide() -> int:
            group = self.load_live(group_id)
            group.delete()
            freed = release(self._store, CLAIM_KIND, group.name, str(group.id))
            return self._store.record(group, *([freed] if freed else []))

        return self._store.decide(ctx, decide)

    def add_members(self, ctx: CommandContext, group_id: str, members: Sequence[tuple[str, str]]) -> int:
        """Adds (kind, id) members, each of which must exist; refused whole if one already is."""
        if not members:
            raise InvalidArgument("member_ids must name at least one member")

        def decide() -> int:
            group = self.load_live(group_id)
            self.require_may_join(group)
            for kind, member_id in members:
                self.require_member_exists(kind, member_id)
                group.add_member(kind, member_id)
            return self._store.record(group)

        return self._store.decide(ctx, decide)

    def remove_member(self, ctx: CommandContext, group_id: str, member: tuple[str, str]) -> int:
        def decide() -> int:
            group = self.load_live(group_id)
            group.remove_member(*member)
            return self._store.record(group)

        return self._store.decide(ctx, decide)

    def joining(self, group_id: str, kind: str, member_id: str) -> Group:
        """The group `group_id` with a new member, to save with the member's creation."""
        group = self.load_live(group_id)
        self.require_may_join(group)
        group.add_member(kind, member_id)
        return group

    def require_may_join(self, group: Group) -> None:
        """Refuses the acting caller (not rigd itself) putting members into `group` unless it
        holds every permission the group's roles grant, or `group:edit` on this very group."""
        actor = current_context().actor
        if self._holdings is None or actor == SYSTEM:
            return
        held = self._holdings.permissions_of(actor)
        if Entitlements(held).allows(Action.GROUP_EDIT, Target(((CLAIM_KIND, group.name),))):
            return
        require_held(held, self._holdings.permissions_of_group(str(group.id)),
                     f"adding a member to group {quoted(group.name)}")

    def load_live(self, group_id: str) -> Group:
        """The live group named `group_id`."""
        if not group_id:
            raise InvalidArgument("group_id must not be empty")
        owner = holder(self._store, CLAIM_KIND, group_id)
        group = self._store.load(UUID(owner), Group) if owner else None
        if group is None or group.deleted:
            raise GroupNotFound(group_id)
        return group

    def aggregate_id(self, group_id: str) -> str:
        """The aggregate id of the live group named `group_id` (what assignments record)."""
        return str(self.load_live(group_id).id)

    def require_member_exists(self, kind: str, member_id: str) -> None:
        if kind == USER:
            found = _load(self._store, member_id, User)
            if found is None or found.deleted:
                raise UserNotFound(member_id)
        elif kind == SERVICE_ACCOUNT:
            account = _load(self._store, member_id, ServiceAccount)
            if account is None or account.deleted:
                raise ServiceAccountNotFound(member_id)
        else:
            raise InvalidArgument("a member id must name a user_id or a service_account_id")

    def _apply(self, group: Group, updates: Sequence[GroupUpdate]) -> None:
        for update in updates:
            if update.field == "group_id":
                group.rename(update.value)
            elif update.field == "set_metadata":
                group.set_metadata(*update.value)
            elif update.field == "delete_metadata_key":
                group.delete_metadata(update.value)

    def _claim(self, name: str, group: Group) -> list[NameClaim]:
        try:
            claimed = claim(self._store, CLAIM_KIND, name, str(group.id))
        except NameTaken:
            raise GroupAlreadyExists(name) from None
        return [claimed] if claimed else []


def _check(updates: Sequence[GroupUpdate]) -> None:
    for index, update in enumerate(updates):
        if update.field == "group_id":
            validate_group_name(update.value)
        elif update.field not in ("set_metadata", "delete_metadata_key"):
            raise InvalidArgument(f"update {index} sets no field; set group_id, set_metadata or delete_metadata_key")


def _load(store: EventStore, aggregate_id: str, kind: type[Any]) -> Any:
    try:
        parsed = UUID(aggregate_id)
    except ValueError:
        return None
    try:
        return store.load(parsed, kind)
    except TypeError:  # the id names another kind of aggregate
        return None
