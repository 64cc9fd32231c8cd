"""Reading the rollout config document (proto3 JSON with proto field names) without protobuf.

proto3 JSON leaves out fields at their default, writes 64-bit integers as text, enums by name
and durations as text like "30s"; parsers also accept enum numbers and integers as numbers.
These helpers read every such field the same lenient way, so builders never meet a `None`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

Document = Mapping[str, Any]


def section(document: Document | None, name: str) -> Document:
    """A message field, `{}` when absent."""
    value = (document or {}).get(name)
    return value if isinstance(value, Mapping) else {}


def items(document: Document | None, name: str) -> list[Document]:
    """A repeated message field, `[]` when absent."""
    return [item for item in (document or {}).get(name) or [] if isinstance(item, Mapping)]


def text(document: Document | None, name: str) -> str:
    value = (document or {}).get(name)
    return "" if value is None else str(value)


def texts(document: Document | None, name: str) -> list[str]:
    return [str(value) for value in (document or {}).get(name) or []]


def integer(document: Document | None, name: str) -> int:
    """An integer field of any width (64-bit ones arrive as text), 0 when absent."""
    value = (document or {}).get(name)
    if value in (None, ""):
        return 0
    return int(value)


def flag(document: Document | None, name: str) -> bool:
    return bool((document or {}).get(name))


def string_map(document: Document | None, name: str) -> dict[str, str]:
    """A `map<string, string>` field, sorted by key so that what is built from it is stable."""
    value = (document or {}).get(name) or {}
    return {str(key): str(value[key]) for key in sorted(value)}


def enum(document: Document | None, name: str, names: tuple[str, ...]) -> str:
    """An enum field by name (`names` lists the values in number order); the first when absent."""
    value = (document or {}).get(name)
    if value in (None, ""):
        return names[0]
    if isinstance(value, int) and 0 <= value < len(names):
        return names[value]
    return str(value)


def duration_seconds(document: Document | None, name: str) -> int:
    """A `google.protobuf.Duration` ("30s", "1.5s") in whole seconds, rounded up; 0 when absent."""
    value = (document or {}).get(name)
    if not value:
        return 0
    return math.ceil(float(str(value).removesuffix("s")))
