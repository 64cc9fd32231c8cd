"""Command side of users: load, decide, save once (with the name claims the change moves)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from rigd.domain.claims import NameClaim, NameTaken, claim, claim_key, holder, release
from rigd.domain.context import Actor, CommandContext, current_context
from rigd.domain.errors import InvalidArgument
from rigd.domain.event_store import EventStore
from rigd.domain.group_commands import GroupCommands
from rigd.domain.naming import quoted
from rigd.domain.passwords import PasswordHasher, Sealer, generate_password, validate_password
from rigd.domain.rbac import Holdings, require_held
from rigd.domain.users import (
    ADMIN_BOOTSTRAP_ID,
    REGISTERED_BY_SIGNUP,
    REGISTERED_BY_SYSTEM,
    AdminBootstrapped,
    User,
    UserIdentifierExists,
    UserNotFound,
    validate_email,
    validate_phone_number,
    validate_username,
)

PASSWORD_FIELD = "password_hash"  # the sealed field's name in the binding "<user id>/password_hash"
_IDENTIFIERS = (("email", "email"), ("username", "username"), ("phone", "phone_number"))


@dataclass(frozen=True)
class UserUpdate:
    """One of user.Update's choices: `field` names it, `value` is its plain value (a str for
    email, username, phone_number, password and hashed_password (an imported hash in the
    hasher's text form); a bool for is_email_verified and is_phone_verified; (first, last)
    for profile; (key, bytes) for set_metadata; a key for delete_metadata_key; None for
    reset_sessions)."""

    field: str
    value: Any = None


@dataclass(frozen=True)
class Registration:
    """How a user came to be: created by someone (system) or signed up with a login type."""

    method: str = REGISTERED_BY_SYSTEM
    login_type: int = 0


class UserCommands:
    def __init__(self, store: EventStore, hasher: PasswordHasher, sealer: Sealer, groups: GroupCommands,
                 holdings: Holdings | None = None) -> None:
        """`holdings` (None: no check) keeps a caller from changing a user (say, an admin's
        password) who holds permissions the caller does not."""
        self._store = store
        self._hasher = hasher
        self._sealer = sealer
        self._groups = groups
        self._holdings = holdings

    def create(
        self, ctx: CommandContext, initializers: Sequence[UserUpdate], initial_group_id: str = "",
        registration: Registration = Registration(),
    ) -> tuple[int, str]:
        """Creates a user from the initializers (an email, username or phone number is
        required), in `initial_group_id` if given. Returns (notification id, user id)."""
        updates = self._prepared(initializers)
        firsts = {u.field: u.value for u in updates if u.field in ("email", "username", "phone_number")}
        if not firsts:
            raise InvalidArgument("a user needs an email, a username or a phone number")
        creator_id = ctx.actor.user_id or ctx.actor.service_account_id

        def decide() -> tuple[int, str]:
            user = User(firsts.get("email", ""), firsts.get("username", ""), firsts.get("phone_number", ""),
                        registration.method, registration.login_type if registration.method == REGISTERED_BY_SIGNUP
                        else 0, creator_id)
            changed = self._claims_for_new(user)
            changed += self._apply(user, [u for u in updates if u.field not in firsts])
            group = self._groups.joining(initial_group_id, "user", user.user_id) if initial_group_id else None
            return self._store.record(user, *changed, *([group] if group else [])), user.user_id

        return self._store.decide(ctx, decide)

    def update(self, ctx: CommandContext, user_id: str, updates: Sequence[UserUpdate]) -> int:
        """Applies the updates in order, in one save; returns 0 when nothing changed."""
        prepared = self._prepared(updates)

        def decide() -> int:
            user = self.load_live(user_id)
            self._require_covers(user)
            changed = self._apply(user, prepared)
            return self._store.record(user, *changed)

        return self._store.decide(ctx, decide)

    def _require_covers(self, user: User) -> None:
        """Refuses an authenticated caller changing another user who holds more than it does
        (whoever may set a user's password or email may become that user)."""
        actor = current_context().actor
        if self._holdings is None or not (actor.user_id or actor.service_account_id) or actor.user_id == user.user_id:
            return
        require_held(self._holdings.permissions_of(actor),
                     self._holdings.permissions_of(Actor(user.user_id, user.user_id, user_id=user.user_id)),
                     f"changing user {quoted(user.user_id)}")

    def delete(self, ctx: CommandContext, user_id: str) -> int:
        """Deletes the user and frees its email, username and phone number."""

        def decide() -> int:
            user = self.load_live(user_id)
            user.delete()
            freed = [release(self._store, kind, getattr(user, field), user.user_id) for kind, field in _IDENTIFIERS]
            return self._store.record(user, *[c for c in freed if c is not None])

        return self._store.decide(ctx, decide)

    def set_password_hash(self, ctx: CommandContext, user_id: str, new_hash: str) -> int:
        """Replaces the user's password hash with `new_hash` (made by the hasher), e.g. to
        upgrade an imported hash after a successful login."""

        def decide() -> int:
            user = self.load_live(user_id)
            user.set_password(self._sealer.seal(new_hash.encode(), user.id, PASSWORD_FIELD))
            return self._store.record(user)

        return self._store.decide(ctx, decide)

    def password_hash(self, user_id: str) -> str:
        """The user's password hash, opened ("" when the user has no password)."""
        user = self.load_live(user_id)
        if not user.sealed_hash:
            return ""
        return self._sealer.open(user.sealed_hash, user.id, PASSWORD_FIELD).decode()

    def check_password(self, user_id: str, password: str) -> tuple[bool, bool]:
        """(whether `password` is the user's, whether its stored hash should be upgraded)."""
        stored = self.password_hash(user_id)
        if not stored:
            return False, False
        return self._hasher.verify(password, stored)

    def find_user_id(self, kind: str, value: str) -> str:
        """The id of the live user with this identifier (kind: "email", "username", "phone",
        or "user_id" for the UUID itself); raises UserNotFound."""
        if kind == "user_id":
            return self.load_live(value).user_id
        owner = holder(self._store, kind, value) if value else ""
        if not owner:
            raise UserNotFound(value)
        return owner

    def load_live(self, user_id: str) -> User:
        try:
            user = self._store.load(UUID(user_id), User) if _is_user_id(user_id) else None
        except (ValueError, TypeError):  # not a UUID, or the id of another kind of aggregate
            user = None
        if user is None:
            raise UserNotFound(user_id)
        user.require_live()
        return user

    def bootstrap_admin(
        self, ctx: CommandContext, email: str, password: str, group_id: str = "admin"
    ) -> tuple[int, str]:
        """On first start, creates the admin user in `group_id`; replicas starting together
        create one. Returns (notification id, generated password): the password is "" when
        one was configured, and (0, "") when the admin was made before."""
        if self._store.load(ADMIN_BOOTSTRAP_ID, AdminBootstrapped) is not None:
            return 0, ""
        generated = "" if password else generate_password()
        validate_email(email)
        validate_password(password or generated)
        hashed = self._hasher.hash(password or generated)

        def decide() -> int:
            if self._store.load(ADMIN_BOOTSTRAP_ID, AdminBootstrapped) is not None:
                return 0
            user = User(email, "", "", REGISTERED_BY_SYSTEM, 0, "")
            user.set_password(self._sealer.seal(hashed.encode(), user.id, PASSWORD_FIELD))
            user.set_email_verified(True)
            try:
                changed = self._claims_for_new(user)
            except UserIdentifierExists:
                # A replica starting alongside may have claimed the email between our two reads.
                if self._store.load(ADMIN_BOOTSTRAP_ID, AdminBootstrapped) is not None:
                    return 0
                raise
            group = self._groups.joining(group_id, "user", user.user_id)
            return self._store.record(user, *changed, group, AdminBootstrapped(user.user_id))

        written = self._store.decide(ctx, decide)
        return written, generated if written else ""

    def _prepared(self, updates: Sequence[UserUpdate]) -> list[UserUpdate]:
        """Validates every update and hashes new passwords, before any decision (hashing is
        slow, and a decision may run again when a concurrent save wins)."""
        prepared = []
        for update in updates:
            prepared.append(self._prepare(update))
        return prepared

    def _prepare(self, update: UserUpdate) -> UserUpdate:
        field, value = update.field, update.value
        if field == "email":
            validate_email(value)
        elif field == "username":
            validate_username(value)
        elif field == "phone_number":
            validate_phone_number(value)
        elif field == "password":
            return UserUpdate("password_hash", self._hasher.hash(validate_password(value)))
        elif field == "hashed_password":
            if not value:
                raise InvalidArgument("hashed_password must carry a hash")
            return UserUpdate("password_hash", value)
        elif field not in _PLAIN_FIELDS:
            raise InvalidArgument(f"unknown user update {field!r}")
        return update

    def _apply(self, user: User, updates: Sequence[UserUpdate]) -> list[NameClaim]:
        """Applies updates to `user`; returns the claims moved (to save with it)."""
        claims: dict[str, tuple[str, str]] = {}  # kind -> (first value, last value)
        for update in updates:
            field, value = update.field, update.value
            for kind, attribute in _IDENTIFIERS:
                if field == attribute:
                    claims.setdefault(kind, (getattr(user, attribute), value))
                    claims[kind] = (claims[kind][0], value)
                    getattr(user, f"change_{attribute}")(value)
            if field == "password_hash":
                user.set_password(self._sealer.seal(str(value).encode(), user.id, PASSWORD_FIELD))
            elif field == "profile":
                user.update_profile(*value)
            elif field == "is_email_verified":
                user.set_email_verified(bool(value))
            elif field == "is_phone_verified":
                user.set_phone_verified(bool(value))
            elif field == "set_metadata":
                user.set_metadata(*value)
            elif field == "delete_metadata_key":
                user.delete_metadata(value)
            elif field == "reset_sessions":
                user.reset_sessions()
        moved: list[NameClaim] = []
        for kind, (before, after) in claims.items():
            if claim_key(kind, before) == claim_key(kind, after):
                continue
            freed = release(self._store, kind, before, user.user_id)
            moved += [freed] if freed else []
            if after:
                moved += self._claim(kind, after, user.user_id)
        return moved

    def _claims_for_new(self, user: User) -> list[NameClaim]:
        claims: list[NameClaim] = []
        for kind, attribute in _IDENTIFIERS:
            value = getattr(user, attribute)
            if value:
                claims += self._claim(kind, value, user.user_id)
        return claims

    def _claim(self, kind: str, value: str, owner_id: str) -> list[NameClaim]:
        try:
            claimed = claim(self._store, kind, value, owner_id)
        except NameTaken:
            raise UserIdentifierExists() from None
        return [claimed] if claimed else []


_PLAIN_FIELDS = frozenset({
    "profile", "is_email_verified", "is_phone_verified", "set_metadata", "delete_metadata_key", "reset_sessions",
})


def _is_user_id(text: str) -> bool:
    return len(text) == 36  # the canonical form only: "rig_..." client ids and the like are no user ids
