"""Who asked for a change, in which request, and (for reactions) because of which event.

Every event records these three facts. Aggregates do not pass them around: the command
side opens an `acting` scope for the decision, and the audited aggregate base reads it
when an event is triggered (an event triggered outside a scope is a programming error)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Actor:
    """The author of a change (the wire's model.Author)."""

    identifier: str
    printable_name: str
    user_id: str = ""
    service_account_id: str = ""


SYSTEM = Actor(identifier="rigd", printable_name="rigd")


@dataclass(frozen=True)
class CommandContext:
    actor: Actor = SYSTEM
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    causation_id: str = ""  # the event a process (e.g. the deployer) reacts to; empty for requests

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
