"""Authentication and authorization of every call: the hook of the call path.

The identity issue fills it with tokens, service-account credentials and RBAC; until
then every caller is admitted as `anonymous`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from rigd.domain.context import Actor
from rigd.services.rpcs import Rpc

ANONYMOUS = Actor(identifier="anonymous", printable_name="anonymous")


class Gate(Protocol):
    def authenticate(self, rpc: Rpc, headers: Mapping[str, str]) -> Actor:
        """Who calls `rpc`, from the call's headers, before its request is even parsed;
        raises Unauthenticated when the caller does not prove it."""

    def authorize(self, principal: Actor, rpc: Rpc, request: Any) -> None:
        """Raises PermissionDenied unless `principal` may call `rpc` with `request` (whose
        project and environment scope the permission). Runs before the servicer, also for
        RPCs not implemented yet. For client-streaming RPCs it runs once per message, the
        first before the servicer (`request` None when the stream sent none)."""


class OpenGate:
    """Admits every caller, as `anonymous`."""

    def authenticate(self, rpc: Rpc, headers: Mapping[str, str]) -> Actor:
        return ANONYMOUS

    def authorize(self, principal: Actor, rpc: Rpc, request: Any) -> None:
        return None
