import base64
import stat

import pytest
from cryptography.exceptions import InvalidTag

from rigd.adapters.secrets import SecretBox, SecretKeyError, load_or_create_key_file, parse_key


def test_seal_and_open() -> None:
    box = SecretBox(b"k" * 32)
    sealed = box.seal(b"hunter2", context="registry")
    assert "hunter2" not in sealed
    assert box.open(sealed, context="registry") == b"hunter2"
    assert box.seal(b"hunter2") != box.seal(b"hunter2")  # fresh nonce each time
    with pytest.raises(InvalidTag):
        box.open(sealed, context="other")
    with pytest.raises(InvalidTag):
        SecretBox(b"x" * 32).open(sealed, context="registry")


def test_key_file_is_created_once_and_private(tmp_path) -> None:  # type: ignore[no-untyped-def]
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
