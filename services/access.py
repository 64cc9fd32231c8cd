"""Authentication and authorization of every call: the hook of the call path.

The identity issue fills it with tokens, service-account credentials and RBAC; until
then every caller is admitted as `anonymous`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from rigd.domain.context import Actor
from rigd.services.rpcs import Rpc

ANONYMOUS = Actor(identifier="anonymous", printable_name="anonymous")


class Gate(Protocol):
    def admit(self, rpc: Rpc, headers: Mapping[str, str]) -> Actor:
        """The caller of `rpc`, authenticated and allowed to call it; raises Unauthenticated
        or PermissionDenied otherwise. Runs before the request is handled."""


class OpenGate:
    """Admits every caller, as `anonymous`."""

    def admit(self, rpc: Rpc, headers: Mapping[str, str]) -> Actor:
        return ANONYMOUS
