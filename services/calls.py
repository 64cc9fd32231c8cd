"""One RPC call as the application layer sees it, whatever the protocol it came by."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from rigd.domain.context import Actor, Bounds, CommandContext


class Status(Enum):
    """The outcome of a call. The names are gRPC's codes; Connect's codes are their
    lower-case forms, so each protocol adapter maps them mechanically."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


class CallFailed(Exception):
    """Ends a call with a status other than OK and a message for the client."""

    def __init__(self, status: Status, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Incoming:
    """What a protocol adapter knows of a call before it runs."""

    headers: Mapping[str, str]  # lower-case names
    timeout: float | None = None  # seconds the client allows; None: no deadline
    is_active: Callable[[], bool] | None = None  # False once the client has gone away; None: unknown


@dataclass(frozen=True)
class Call:
    """The caller, the request id and the deadline of one call: everything a servicer may
    know about the call besides its request."""

    rpc: str  # the path, e.g. /api.v1.project.Service/Create
    principal: Actor
    request_id: str
    deadline: float | None = None  # a time.monotonic() value
    is_active: Callable[[], bool] | None = None  # False once the client has gone away; None: unknown

    @property
    def bounds(self) -> Bounds:
        """The deadline and the cancellation check, as the layers below see them."""
        is_active = self.is_active
        return Bounds(self.deadline, None if is_active is None else lambda: not is_active())

    def context(self) -> CommandContext:
        """Who the changes this call makes are recorded as made by, and until when they may be."""
        return CommandContext(actor=self.principal, request_id=self.request_id, bounds=self.bounds)

    def remaining(self) -> float | None:
        """Seconds left until the deadline (never negative), or None without a deadline."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def cancelled(self) -> bool:
        """True once the client has gone away."""
        return self.is_active is not None and not self.is_active()


class ReadYourWrites(Protocol):
    def __call__(self, notification_id: int, read_models: Sequence[str], deadline: float | None = None) -> bool:
        """Waits, bounded by the read timeout and `deadline`, until the read models have
        applied `notification_id`; False when the wait ran out (the change is saved anyway)."""
