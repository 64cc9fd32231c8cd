"""Keyed digests of high-entropy secrets (service-account secrets): HMAC-SHA256 under a key
derived from the keyring's keys. A secret of 256 random bits needs no slow hash, so checking
one costs microseconds; the digest names the key it was made with, so keys can rotate."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from rigd.adapters.secrets import key_id

_PURPOSE = b"rigd service-account secret digest v1"


class HmacSecretDigests:
    """The SecretDigests of rigd (domain.passwords): `<key id>:<hex digest>`."""

    def __init__(self, current: bytes, retired: Iterable[bytes] = ()) -> None:
        self._keys = {key_id(key): hmac.new(key, _PURPOSE, hashlib.sha256).digest() for key in (*retired, current)}
        self._current = key_id(current)

    def digest(self, secret: str) -> str:
        return f"{self._current}:{self._mac(self._keys[self._current], secret)}"

    def matches(self, secret: str, digest: str) -> bool:
        name, _, expected = digest.partition(":")
        key = self._keys.get(name)
        return key is not None and hmac.compare_digest(self._mac(key, secret), expected)

    @staticmethod
    def _mac(key: bytes, secret: str) -> str:
        return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()
