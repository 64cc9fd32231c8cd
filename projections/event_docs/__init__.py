"""The documentation of each public event type, by context: a summary, every published
field's meaning and what each version changed. `projections.event_catalog` gathers them
into the catalog that `docs/events.md` is generated from and checked against."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# What version 1 was, for the classes rigd 0.1 recorded (the envelope's audit attributes came
# from its untyped actor; the published `data` was the same).
_RIGD_0_1 = "rigd 0.1: the same data; the actor was recorded untyped and there was no causation id."
_V2 = "The actor is typed and every event has a causation id (envelope attributes; `data` unchanged)."
HISTORY_0_1 = {1: _RIGD_0_1, 2: _V2}
# Classes introduced after rigd 0.1 start at version 2, the audited base's.
FIRST_PUBLISHED = {2: "The first published version: the audited base's typed actor and causation id."}


@dataclass(frozen=True)
class Documented:
    """One event type's documentation: a summary, every published field's meaning, and
    what each version changed (at least the current one)."""

    summary: str
    fields: Mapping[str, str] = field(default_factory=dict)
    history: Mapping[int, str] = field(default_factory=lambda: dict(HISTORY_0_1))
