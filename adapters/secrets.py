"""Sealing secrets before they enter an event: AES-256-GCM with a keyring from configuration.

A sealed value names the key that sealed it and is bound to one field of one aggregate:

    v2:<key id>:<base64(nonce || ciphertext)>, associated data "<aggregate id>/<field>"

The key id is derived from the key (the first 8 hex digits of its SHA-256), so nobody has to
name keys. The keyring seals with its current key and opens with any of its keys, so a key can
be retired (kept for opening) and replaced without losing history. Values of the first format,
``v1:`` + base64(nonce || ciphertext) under the context "project-key", name no key and no
aggregate; they still open, with whichever key of the keyring sealed them.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from rigd.adapters.sqlite_files import private_directory

KEY_BYTES = 32
NONCE_BYTES = 12
_V1 = "v1:"
_V1_CONTEXT = b"project-key"  # the only context v1 values were ever sealed with
_V2 = "v2"


class SecretKeyError(ValueError):
    """A configured key is unusable; the message never contains key material."""


class SealedSecretError(ValueError):
    """A sealed value cannot be opened; the message names the key id, the aggregate and the field."""


class UnknownKeyId(SealedSecretError):
    """The value was sealed with a key this keyring does not hold."""


def key_id(key: bytes) -> str:
    """The name of a key: the first 8 hex digits of its SHA-256 (reveals nothing usable about it)."""
    return hashlib.sha256(key).hexdigest()[:8]


class Keyring:
    """Seals with the current key; opens with the current key or any retired one."""

    def __init__(self, current: bytes, retired: Iterable[bytes] = ()) -> None:
        self._keys: dict[str, AESGCM] = {}
        for key in (current, *retired):
            if len(key) != KEY_BYTES:
                raise SecretKeyError(f"a secret key must be {KEY_BYTES} bytes, got {len(key)}")
            name = key_id(key)
            if name in self._keys:
                continue  # the same key given twice (e.g. the current key also listed as retired)
            self._keys[name] = AESGCM(key)
        self.current_key_id = key_id(current)

    @property
    def key_ids(self) -> tuple[str, ...]:
        """The ids of every key held, the current one first."""
        return tuple(self._keys)

    def seal(self, plaintext: bytes, aggregate_id: UUID, field: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = self._keys[self.current_key_id].encrypt(nonce, plaintext, _binding(aggregate_id, field))
        return f"{_V2}:{self.current_key_id}:{base64.b64encode(nonce + ciphertext).decode()}"

    def open(self, sealed: str, aggregate_id: UUID, field: str) -> bytes:
        if sealed.startswith(_V1):
            return self._open_v1(sealed, aggregate_id, field)
        version, _, rest = sealed.partition(":")
        name, _, payload = rest.partition(":")
        if version != _V2 or not name or not payload:
            raise SealedSecretError(f"the value of {aggregate_id}/{field} is not a sealed secret")
        aead = self._keys.get(name)
        if aead is None:
            raise UnknownKeyId(
                f"the value of {aggregate_id}/{field} was sealed with key {name}, which is not in the keyring "
                f"(it holds {', '.join(self.key_ids)}); add that key to 'retired_secret_keys'"
            )
        raw = _decode(payload, aggregate_id, field)
        try:
            return aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _binding(aggregate_id, field))
        except InvalidTag:
            raise SealedSecretError(
                f"the value sealed with key {name} does not open as {aggregate_id}/{field}: "
                "it was sealed for another aggregate or field, or altered"
            ) from None

    def _open_v1(self, sealed: str, aggregate_id: UUID, field: str) -> bytes:
        raw = _decode(sealed[len(_V1):], aggregate_id, field)
        for aead in self._keys.values():
            try:
                return aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _V1_CONTEXT)
            except InvalidTag:
                continue
        raise SealedSecretError(
            f"the v1 value of {aggregate_id}/{field} opens with none of the keys {', '.join(self.key_ids)}"
        )


def _binding(aggregate_id: UUID, field: str) -> bytes:
    return f"{aggregate_id}/{field}".encode()


def _decode(payload: str, aggregate_id: UUID, field: str) -> bytes:
    try:
        raw = base64.b64decode(payload, validate=True)
    except ValueError:  # binascii.Error is one
        raise SealedSecretError(f"the value of {aggregate_id}/{field} is not a sealed secret") from None
    if len(raw) <= NONCE_BYTES:
        raise SealedSecretError(f"the value of {aggregate_id}/{field} is not a sealed secret")
    return raw


def parse_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raise SecretKeyError("the secret key must be base64") from None
    if len(key) != KEY_BYTES:
        raise SecretKeyError(f"the secret key must decode to {KEY_BYTES} bytes, got {len(key)}")
    return key


def load_or_create_key_file(path: Path) -> bytes:
    """The embedded default: a key generated on first start into a file only its owner reads.

    The file appears whole or not at all (written aside, then linked into place), so
    processes starting together agree on one key."""
    try:
        return parse_key(path.read_text())
    except FileNotFoundError:
        pass
    private_directory(path.parent)
    key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
    descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=".secret-key-")  # mode 0600
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(base64.b64encode(key).decode() + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(draft, path)
    except FileExistsError:
        return parse_key(path.read_text())  # another process created it first
    finally:
        os.unlink(draft)
    return key
