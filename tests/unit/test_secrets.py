import base64
import os
import stat
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from rigd.adapters.secrets import (
    Keyring,
    SealedSecretError,
    SecretKeyError,
    UnknownKeyId,
    key_id,
    load_or_create_key_file,
    parse_key,
)

OLD_KEY = b"o" * 32
NEW_KEY = b"n" * 32
PROJECT = uuid.uuid5(uuid.NAMESPACE_URL, "project/shop")
OTHER_PROJECT = uuid.uuid5(uuid.NAMESPACE_URL, "project/bank")


def test_seal_and_open() -> None:
    keyring = Keyring(NEW_KEY)
    sealed = keyring.seal(b"hunter2", PROJECT, "private_key")
    assert "hunter2" not in sealed
    assert sealed.startswith(f"v2:{key_id(NEW_KEY)}:")
    assert keyring.open(sealed, PROJECT, "private_key") == b"hunter2"
    assert keyring.seal(b"hunter2", PROJECT, "private_key") != sealed  # fresh nonce each time


def test_key_ids_are_derived_from_the_keys() -> None:
    assert key_id(NEW_KEY) == key_id(bytes(NEW_KEY)) != key_id(OLD_KEY)
    assert len(key_id(NEW_KEY)) == 8
    assert int(key_id(NEW_KEY), 16) >= 0


def test_a_sealed_value_opens_only_for_its_aggregate_and_field() -> None:
    keyring = Keyring(NEW_KEY)
    sealed = keyring.seal(b"hunter2", PROJECT, "private_key")
    with pytest.raises(SealedSecretError) as raised:
        keyring.open(sealed, OTHER_PROJECT, "private_key")
    assert str(OTHER_PROJECT) in str(raised.value)
    with pytest.raises(SealedSecretError):
        keyring.open(sealed, PROJECT, "registry_password")
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(SealedSecretError):
        keyring.open(tampered, PROJECT, "private_key")


def test_values_sealed_before_a_rotation_still_open_and_new_ones_use_the_new_key() -> None:
    before = Keyring(OLD_KEY)
    old_sealed = before.seal(b"old secret", PROJECT, "private_key")

    after = Keyring(NEW_KEY, retired=[OLD_KEY])
    assert after.current_key_id == key_id(NEW_KEY)
    assert after.key_ids == (key_id(NEW_KEY), key_id(OLD_KEY))
    assert after.open(old_sealed, PROJECT, "private_key") == b"old secret"
    new_sealed = after.seal(b"new secret", PROJECT, "private_key")
    assert new_sealed.startswith(f"v2:{key_id(NEW_KEY)}:")
    assert after.open(new_sealed, PROJECT, "private_key") == b"new secret"
    with pytest.raises(UnknownKeyId):  # the old keyring never saw the new key
        before.open(new_sealed, PROJECT, "private_key")


def test_an_unknown_key_id_is_refused_naming_the_key_id_never_the_key() -> None:
    sealed = Keyring(OLD_KEY).seal(b"hunter2", PROJECT, "private_key")
    with pytest.raises(UnknownKeyId) as raised:
        Keyring(NEW_KEY).open(sealed, PROJECT, "private_key")
    message = str(raised.value)
    assert key_id(OLD_KEY) in message
    assert "retired_secret_keys" in message
    for key in (OLD_KEY, NEW_KEY):
        assert base64.b64encode(key).decode() not in message
        assert key.decode() not in message


def test_first_format_values_still_open_with_any_key_of_the_keyring() -> None:
    # How values were sealed before key ids: "v1:" + base64(nonce || ciphertext), context "project-key".
    nonce = os.urandom(12)
    v1 = "v1:" + base64.b64encode(nonce + AESGCM(OLD_KEY).encrypt(nonce, b"legacy", b"project-key")).decode()
    assert Keyring(NEW_KEY, retired=[OLD_KEY]).open(v1, PROJECT, "private_key") == b"legacy"
    with pytest.raises(SealedSecretError) as raised:
        Keyring(NEW_KEY).open(v1, PROJECT, "private_key")
    assert key_id(NEW_KEY) in str(raised.value)


@pytest.mark.parametrize("sealed", ["", "hunter2", "v2:", "v2:abcd1234:", "v2:abcd1234:not base64!", "v3:x:y"])
def test_what_is_not_a_sealed_value_is_refused(sealed: str) -> None:
    keyring = Keyring(NEW_KEY)
    with pytest.raises(SealedSecretError):
        keyring.open(sealed, PROJECT, "private_key")


def test_the_same_key_given_twice_is_held_once() -> None:
    assert Keyring(NEW_KEY, retired=[NEW_KEY, OLD_KEY, OLD_KEY]).key_ids == (key_id(NEW_KEY), key_id(OLD_KEY))


def test_a_key_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(SecretKeyError):
        Keyring(b"short")
    with pytest.raises(SecretKeyError):
        Keyring(NEW_KEY, retired=[b"short"])


def test_key_file_is_created_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret.key"
    key = load_or_create_key_file(path)
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key_file(path) == key


def test_bad_keys() -> None:
    with pytest.raises(SecretKeyError):
        parse_key("not base64!")
    with pytest.raises(SecretKeyError):
        parse_key(base64.b64encode(b"short").decode())
