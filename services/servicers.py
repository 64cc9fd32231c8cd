"""One service served by several servicer objects (capsule.Service: the command RPCs and the
live ones are built from different parts)."""

from __future__ import annotations

from typing import Any


class DuplicateRpc(TypeError):
    """Two parts of a combined servicer serve the same RPC: which one answers would be luck."""


class CombinedServicer:
    """The public methods of every part, each served by the one part that has it."""

    def __init__(self, *parts: object) -> None:
        self._parts = parts
        self._names: dict[str, object] = {}
        for part in parts:
            for name in _public_methods(part):
                if name in self._names:
                    raise DuplicateRpc(
                        f"{name} is served by both {type(self._names[name]).__name__} and {type(part).__name__}")
                self._names[name] = part
                setattr(self, name, getattr(part, name))

    def __repr__(self) -> str:
        return f"CombinedServicer({', '.join(type(part).__name__ for part in self._parts)})"


def combined(*parts: object) -> object:
    """One servicer serving every RPC any of `parts` serves; DuplicateRpc when two serve one.
    The call path's start-up check (`check_servicers`) sees each part's methods, so a misspelt
    RPC in any part still stops start-up."""
    return parts[0] if len(parts) == 1 else CombinedServicer(*parts)


def _public_methods(part: object) -> list[str]:
    names = []
    for name in dir(part):
        attribute: Any = getattr(part, name)
        if not name.startswith("_") and callable(attribute):
            names.append(name)
    return names
