"""The installation: one per rigd deployment, created on first start."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event
from eventsourcing.utils import register_topic

from rigd.domain.context import CommandContext
from rigd.domain.event_store import EventStore
from rigd.domain.events import AuditedAggregate, AuditedCreated, register_former_topics
from rigd.domain.identity import stable_id

INSTALLATION_ID = stable_id("installation", "rigd")


class Installation(AuditedAggregate):
    TOPIC = "installation"

    class Created(AuditedCreated):
        TOPIC = "installation.Created"
        installation_id: str
        platform_version: str

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return INSTALLATION_ID

    @event(Created)
    def __init__(self, installation_id: str, platform_version: str) -> None:
        self.installation_id = installation_id
        self.platform_version = platform_version


register_former_topics(Installation, "domain.installation")
register_topic("domain.installation:Installation.Initialized", Installation.Created)


def initialize_installation(store: EventStore, ctx: CommandContext, installation_id: str, platform_version: str) -> int:
    """Records the installation on first start; a no-op afterwards (returns 0)."""

    def decide() -> int:
        if store.load(INSTALLATION_ID, Installation) is not None:
            return 0
        return store.record(Installation(installation_id, platform_version))

    return store.decide(ctx, decide)
