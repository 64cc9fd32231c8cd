"""Passwords: the policy a new password must meet, and the ports that hash, seal and digest
secrets (the adapters fill them; the domain never sees an algorithm)."""

from __future__ import annotations

import secrets
import unicodedata
from typing import Protocol
from uuid import UUID

from rigd.domain.errors import InvalidArgument

MIN_PASSWORD_LENGTH = 8
PASSWORD_RULE = "invalid password; must contain a number, normal symbol and be at least 8 chars long"


def validate_password(password: str) -> str:
    """Rig's rule: letters, digits, punctuation and symbols only, no whitespace at either
    end, at least one digit and one punctuation mark or symbol, and at least 8 characters."""
    if not password:
        raise InvalidArgument("password must not be empty")
    if password.strip() != password:
        raise InvalidArgument("invalid password; must not start or end with whitespace")
    digit = symbol = False
    for character in password:
        category = unicodedata.category(character)
        if category == "Nd":
            digit = True
        elif category[0] in ("P", "S"):
            symbol = True
        elif category not in ("Lu", "Ll"):
            raise InvalidArgument("invalid password; contains invalid characters")
    if not digit or not symbol or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidArgument(PASSWORD_RULE)
    return password


def generate_password() -> str:
    """A random password that meets the policy (about 128 bits of randomness)."""
    return f"{secrets.token_urlsafe(16)}-{secrets.randbelow(10)}"


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str:
        """A new hash of `password` (argon2id)."""

    def verify(self, password: str, stored: str) -> tuple[bool, bool]:
        """(whether `password` matches the hash `stored`, whether `stored` should be
        replaced by a new hash: an imported or outdated one)."""


class Sealer(Protocol):
    """Seals a secret for one field of one aggregate (adapters.secrets.Keyring is one)."""

    def seal(self, plaintext: bytes, aggregate_id: UUID, field: str) -> str: ...

    def open(self, sealed: str, aggregate_id: UUID, field: str) -> bytes: ...


class SecretDigests(Protocol):
    """A keyed digest of a high-entropy secret: checking costs microseconds, and the stored
    digest is useless without the key."""

    def digest(self, secret: str) -> str: ...

    def matches(self, secret: str, digest: str) -> bool: ...
