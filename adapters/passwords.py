"""Password hashes: argon2id for every hash rigd makes; imported bcrypt hashes and scrypt
hashes (Rig's and Firebase's scrypt: AES-CTR of a signer key under an scrypt-derived key)
verify, and report that they should be replaced by an argon2id hash.

The text forms: argon2id's own (`$argon2id$...`), bcrypt's own (`$2a$...`, `$2b$...`), and
`$rig-scrypt$` + a JSON object with the scrypt parameters, salt and hash (base64)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

import argon2
import bcrypt
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from rigd.domain.errors import InvalidArgument

SCRYPT_PREFIX = "$rig-scrypt$"
_MAX_SCRYPT_MEM_COST = 17  # N = 2**17: 128 MiB at r = 8; more would let an import exhaust memory
_MAX_SCRYPT_ROUNDS = 16
_MAX_BCRYPT_COST = 16


class Argon2Passwords:
    """The PasswordHasher of rigd (domain.passwords)."""

    def __init__(self, hasher: argon2.PasswordHasher | None = None) -> None:
        self._argon2 = hasher or argon2.PasswordHasher()  # argon2id, the library's recommended cost

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password: str, stored: str) -> tuple[bool, bool]:
        if stored.startswith("$argon2"):
            try:
                self._argon2.verify(stored, password)
            except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
                return False, False
            return True, self._argon2.check_needs_rehash(stored)
        if stored.startswith("$2"):
            try:
                ok = bcrypt.checkpw(password.encode(), stored.encode())
            except ValueError:
                return False, False
            return ok, ok
        if stored.startswith(SCRYPT_PREFIX):
            ok = _scrypt_matches(password, json.loads(stored[len(SCRYPT_PREFIX):]))
            return ok, ok
        return False, False


def imported_bcrypt(hash_bytes: bytes) -> str:
    """The text form of an imported bcrypt hash (model.HashingInstance with bcrypt)."""
    text = hash_bytes.decode("ascii", errors="replace")
    parts = text.split("$")
    if len(parts) != 4 or parts[1] not in ("2a", "2b", "2y") or not parts[2].isdigit() or len(parts[3]) != 53:
        raise InvalidArgument("hashed_password: the bcrypt hash is malformed")
    if int(parts[2]) > _MAX_BCRYPT_COST:
        raise InvalidArgument(f"hashed_password: a bcrypt cost above {_MAX_BCRYPT_COST} is not accepted")
    return text


def imported_scrypt(hash_bytes: bytes, salt: bytes, config: dict[str, Any]) -> str:
    """The text form of an imported scrypt hash: `config` holds model.ScryptHashingConfig's
    fields (signer_key and salt_separator in base64, rounds, mem_cost, p, key_len)."""
    try:
        signer_key = base64.b64decode(config.get("signer_key", ""), validate=True)
        separator = base64.b64decode(config.get("salt_separator", ""), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidArgument("hashed_password: scrypt signer_key and salt_separator must be base64") from None
    rounds, mem_cost = int(config.get("rounds") or 8), int(config.get("mem_cost") or 14)
    p, key_len = int(config.get("p") or 1), int(config.get("key_len") or 32)
    if not signer_key or not hash_bytes or not 0 < rounds <= _MAX_SCRYPT_ROUNDS \
            or not 0 < mem_cost <= _MAX_SCRYPT_MEM_COST or not 0 < p <= 4 or key_len not in (16, 24, 32):
        raise InvalidArgument("hashed_password: the scrypt parameters are out of range")
    fields = {"signer_key": _b64(signer_key), "salt_separator": _b64(separator), "rounds": rounds,
              "mem_cost": mem_cost, "p": p, "key_len": key_len, "salt": _b64(salt), "hash": _b64(hash_bytes)}
    return SCRYPT_PREFIX + json.dumps(fields, sort_keys=True)


def _scrypt_matches(password: str, fields: dict[str, Any]) -> bool:
    n = 2 ** int(fields["mem_cost"])
    r, p = int(fields["rounds"]), int(fields["p"])
    derived = hashlib.scrypt(
        password.encode(), salt=base64.b64decode(fields["salt"]) + base64.b64decode(fields["salt_separator"]),
        n=n, r=r, p=p, dklen=int(fields["key_len"]), maxmem=256 * r * n * p)
    encryptor = Cipher(algorithms.AES(derived), modes.CTR(b"\0" * 16)).encryptor()
    computed = encryptor.update(base64.b64decode(fields["signer_key"])) + encryptor.finalize()
    return hmac.compare_digest(computed, base64.b64decode(fields["hash"]))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
