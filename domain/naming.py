"""Rules for the names clients choose (projects, environments, capsules), and how an
error message may quote what a client sent."""

import re

from rigd.domain.errors import InvalidArgument

_SYSTEM_NAME = re.compile(r"^[a-z][a-z0-9-]+[a-z0-9]$")
MAX_DISPLAY_NAME = 256
MAX_QUOTED = 64


def quoted(value: str, limit: int = MAX_QUOTED) -> str:
    """`value` as an error message may show it: quoted, and cut to its first `limit`
    characters (with its full length) when longer, so that a message stays short
    however much a client sent (gRPC carries the message in a trailer of bounded size)."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value)} characters)"


def require(value: str, field: str) -> str:
    """An identifier the request must carry."""
    if not value:
        raise InvalidArgument(f"{field} must not be empty")
    return value


def validate_system_name(value: str, field: str) -> str:
    """A system name: 3 to 63 characters, lower-case letters, digits and dashes,
    starting with a letter and not ending with a dash (usable as a DNS label)."""
    require(value, field)
    if len(value) < 3 or len(value) > 63:
        raise InvalidArgument(f"{field} {quoted(value)} must be between 3 and 63 characters long")
    if not _SYSTEM_NAME.match(value):
        raise InvalidArgument(
            f"{field} {quoted(value)} is invalid: use lower-case letters, digits and '-', "
            "start with a letter and end with a letter or digit"
        )
    return value


def validate_display_name(value: str, field: str) -> str:
    if not value.strip():
        raise InvalidArgument(f"{field} must not be empty")
    if len(value) > MAX_DISPLAY_NAME:
        raise InvalidArgument(f"{field} must be at most {MAX_DISPLAY_NAME} characters long")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InvalidArgument(f"{field} must not contain control characters")
    return value
