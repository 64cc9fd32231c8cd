"""Deterministic aggregate ids: the event store itself then enforces uniqueness of keys."""

from uuid import UUID, uuid5

_NAMESPACE = UUID("5d0c4c1e-7f3a-4b8e-9c59-2f1e0b6a9d10")


def stable_id(kind: str, key: str) -> UUID:
    """The id of the one aggregate of `kind` that owns `key`."""
    return uuid5(_NAMESPACE, f"{kind}/{key}")
