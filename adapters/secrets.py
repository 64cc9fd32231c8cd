"""Sealing secrets before they enter an event: AES-256-GCM with a key from configuration."""

from __future__ import annotations

import base64
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
_PREFIX = "v1:"


class SecretKeyError(ValueError):
    pass


class SecretBox:
    """Seals and opens short secrets; sealed text is ``v1:`` + base64(nonce || ciphertext)."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise SecretKeyError(f"the secret key must be {KEY_BYTES} bytes, got {len(key)}")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, context: str = "") -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext, context.encode())
        return _PREFIX + base64.b64encode(nonce + sealed).decode()

    def open(self, sealed: str, context: str = "") -> bytes:
        if not sealed.startswith(_PREFIX):
            raise SecretKeyError("not a sealed secret")
        raw = base64.b64decode(sealed[len(_PREFIX):])
        return self._aead.decrypt(raw[:12], raw[12:], context.encode())


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
    path.parent.mkdir(parents=True, exist_ok=True)
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
