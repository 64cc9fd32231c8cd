"""Who asked for a change, in which request, and (for reactions) because of which event.

Every event records these three facts. Aggregates do not pass them around: the command
side opens an `acting` scope for the decision, and the audited aggregate base reads it
when an event is triggered (an event triggered outside a scope is a programming error)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from rigd.domain.errors import DomainError


@dataclass(frozen=True)
class Actor:
    """The author of a change (the wire's model.Author)."""

    identifier: str
    printable_name: str
    user_id: str = ""
    service_account_id: str = ""


SYSTEM = Actor(identifier="rigd", printable_name="rigd")


class DeadlineExceeded(DomainError):
    """The call's deadline passed before its change was recorded: nothing was written."""


class Cancelled(DomainError):
    """The client went away before its change was recorded: nothing was written."""


@dataclass(frozen=True)
class Bounds:
    """How long the call a piece of work serves may run: its deadline (a time.monotonic()
    value, None for none) and whether its client has gone away. Never recorded in events."""

    deadline: float | None = None
    cancelled: Callable[[], bool] | None = None

    def remaining(self) -> float | None:
        """Seconds left until the deadline (never negative), or None without a deadline."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def check(self) -> None:
        """Raises DeadlineExceeded or Cancelled when the work is no longer wanted."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise DeadlineExceeded("the deadline passed before the change was recorded; nothing was changed")
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("the client went away before the change was recorded; nothing was changed")


UNBOUNDED = Bounds()


@dataclass(frozen=True)
class CommandContext:
    actor: Actor = SYSTEM
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    causation_id: str = ""  # the event a process (e.g. the deployer) reacts to; empty for requests
    # the call's deadline and cancellation: the event store refuses to record past them
    bounds: Bounds = field(default=UNBOUNDED, compare=False, repr=False)

    @classmethod
    def reacting_to(cls, event: Any, actor: Actor) -> CommandContext:
        """The context of a process's reaction to `event`: the request that caused the event
        carries on, and the event (its aggregate id and version) is the cause."""
        return cls(actor=actor, request_id=getattr(event, "request_id", ""), causation_id=event_id(event))


def event_id(event: Any) -> str:
    """An event's identity across stores and streams: its aggregate id and version."""
    return f"{event.originator_id}/{event.originator_version}"


class NoActingContext(RuntimeError):
    """An event was triggered outside `acting`: it would not say who caused it."""


_current: ContextVar[CommandContext | None] = ContextVar("rigd_acting_context", default=None)
_bounds: ContextVar[Bounds] = ContextVar("rigd_call_bounds", default=UNBOUNDED)


@contextmanager
def bounded(bounds: Bounds) -> Iterator[Bounds]:
    """Work inside this block (reads too) serves a call with these bounds: adapters wait
    for database connections no longer than the call's remaining time."""
    token = _bounds.set(bounds)
    try:
        yield bounds
    finally:
        _bounds.reset(token)


def current_bounds() -> Bounds:
    """The bounds of the change being decided (`acting`), else of the call being served."""
    ctx = _current.get()
    return ctx.bounds if ctx is not None and ctx.bounds is not UNBOUNDED else _bounds.get()


@contextmanager
def acting(ctx: CommandContext) -> Iterator[CommandContext]:
    """Events triggered inside this block are recorded as caused by `ctx`."""
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def current_context() -> CommandContext:
    ctx = _current.get()
    if ctx is None:
        raise NoActingContext("events can only be triggered inside `acting(ctx)`")
    return ctx
