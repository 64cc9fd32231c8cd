"""The authorize half of the gate: RBAC on every call (rig-behavior 3).

`Authorizer.authorize` asks what the call needs (domain/rbac.py), what the request is about
(services/authorization.py) and what the caller holds (a `Grants` port, answered by the
identity directory through `CachedGrants`), and refuses with PERMISSION_DENIED naming what
is missing. `CheckingGate` joins it to an authenticate half into the call path's `Gate`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from rigd.domain.context import Actor
from rigd.domain.errors import Unauthenticated
from rigd.domain.groups import SERVICE_ACCOUNT, USER
from rigd.domain.permissions import Permission
from rigd.domain.rbac import Entitlements, needs_credentials, needs_permission
from rigd.domain.roles import GROUP
from rigd.services.authorization import actions_of, target_of
from rigd.services.errors import database_failure
from rigd.services.rpcs import Rpc


class Grants(Protocol):
    def permissions_of(self, actor: Actor) -> Sequence[Permission]:
        """The permissions of the roles assigned to `actor` and to its groups."""


class Authenticator(Protocol):
    def authenticate(self, rpc: Rpc, headers: Mapping[str, str]) -> Actor: ...


class RoleGrants(Protocol):
    def grants_of(self, principal_kind: str, principal_id: str) -> list[Permission]: ...


class DirectoryGrants:
    """`Grants` (and the command side's `Holdings`) answered by the roles read model: the
    roles assigned to a user or service account and to its groups. Anonymous holds nothing."""

    def __init__(self, roles: RoleGrants) -> None:
        self._roles = roles

    def permissions_of(self, actor: Actor) -> Sequence[Permission]:
        if actor.service_account_id:
            return self._roles.grants_of(SERVICE_ACCOUNT, actor.service_account_id)
        if actor.user_id:
            return self._roles.grants_of(USER, actor.user_id)
        return ()

    def permissions_of_group(self, group_aggregate_id: str) -> Sequence[Permission]:
        return self._roles.grants_of(GROUP, group_aggregate_id)


def is_anonymous(actor: Actor) -> bool:
    """A caller that proved no identity (neither a user nor a service account)."""
    return not actor.user_id and not actor.service_account_id


class CachedGrants:
    """Each principal's permissions, indexed, kept in memory until the read models move.

    `version` is cheap and changes whenever the projector applies a batch (this process's
    or, through the progress channel, another's) to a read model grants are read from
    (Projector.moves_of: a Deploy's batches leave the cache alone). It is
    read before a lookup, so a lookup that raced a change is stored under the old version
    and read again at the next call. Bounded: past `capacity` principals it starts afresh."""

    def __init__(self, source: Grants, version: Callable[[], int], capacity: int = 10_000) -> None:
        self._source = source
        self._version = version
        self._capacity = capacity
        self._lock = threading.Lock()
        self._seen = -1
        self._cache: dict[tuple[str, str, str], Entitlements] = {}

    def entitlements_of(self, actor: Actor) -> Entitlements:
        version = self._version()
        key = (actor.user_id, actor.service_account_id, actor.identifier)
        with self._lock:
            if version != self._seen:
                self._cache.clear()
                self._seen = version
            found = self._cache.get(key)
        if found is not None:
            return found
        entitlements = Entitlements(self._source.permissions_of(actor))
        with self._lock:
            if self._seen == version:
                if len(self._cache) >= self._capacity:
                    self._cache.clear()
                self._cache[key] = entitlements
        return entitlements


class Authorizer:
    """Decides whether a known principal may make a call."""

    def __init__(self, grants: CachedGrants) -> None:
        self._grants = grants

    def authorize(self, principal: Actor, rpc: Rpc, request: Any) -> None:
        """Raises Unauthenticated for an anonymous caller of an RPC that needs credentials,
        PermissionDenied when the caller's permissions do not grant every action needed."""
        if not needs_credentials(rpc.path):
            return
        if is_anonymous(principal):
            raise Unauthenticated(f"{rpc.path} needs credentials: log in, or send a service account's")
        if not needs_permission(rpc.path):
            return
        self._grants.entitlements_of(principal).check(actions_of(rpc, request), target_of(rpc, request))


class CheckingGate:
    """The call path's gate: who calls (`authenticator`), then whether it may (`authorizer`)."""

    def __init__(self, authenticator: Authenticator, authorizer: Authorizer) -> None:
        self._authenticator = authenticator
        self._authorizer = authorizer

    # Plain try blocks rather than a shared context manager: this runs twice on every call,
    # and a generator-based context manager costs more than the checks it wraps.
    def authenticate(self, rpc: Rpc, headers: Mapping[str, str]) -> Actor:
        try:
            return self._authenticator.authenticate(rpc, headers)
        except Exception as error:
            _raise_if_database_failure(error)
            raise

    def authorize(self, principal: Actor, rpc: Rpc, request: Any) -> None:
        try:
            self._authorizer.authorize(principal, rpc, request)
        except Exception as error:
            _raise_if_database_failure(error)
            raise


def _raise_if_database_failure(error: Exception) -> None:
    """A check that had to read a database it cannot reach (grants past the cache, a service
    account's first Basic call) is UNAVAILABLE, like any call in an outage, never INTERNAL."""
    failure = database_failure(error, expired=False)
    if failure is not None:
        raise failure from None
