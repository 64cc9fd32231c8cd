"""Who asked for a change, and in which request: recorded with every event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Actor:
    """The author of a change (the wire's model.Author)."""

    identifier: str
    printable_name: str
    user_id: str = ""
    service_account_id: str = ""

    def as_record(self) -> dict[str, str]:
        return {
            "identifier": self.identifier,
            "printable_name": self.printable_name,
            "user_id": self.user_id,
            "service_account_id": self.service_account_id,
        }


SYSTEM = Actor(identifier="rigd", printable_name="rigd")


@dataclass(frozen=True)
class CommandContext:
    actor: Actor = SYSTEM
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def event_fields(self) -> dict[str, Any]:
        """The fields every event records about its origin."""
        return {"actor": self.actor.as_record(), "request_id": self.request_id}
