"""Identity rules without a store: the password policy, hashes and secret digests."""

import pytest

from rigd.adapters.passwords import Argon2Passwords
from rigd.adapters.secret_digests import HmacSecretDigests
from rigd.domain.errors import InvalidArgument
from rigd.domain.passwords import PASSWORD_RULE, generate_password, validate_password
from rigd.domain.service_accounts import INVALID_CLIENT_ID, parse_client_id
from rigd.domain.users import printable_name


@pytest.mark.parametrize("password", ["abcdefg1!", "Pa55word.", "ünïcode1$"])
def test_good_passwords_pass(password: str) -> None:
    assert validate_password(password) == password


@pytest.mark.parametrize(("password", "message"), [
    ("abcdefgh1", PASSWORD_RULE), ("abcdefgh!", PASSWORD_RULE), ("ab1!", PASSWORD_RULE),
    (" abcdef1!", "invalid password; must not start or end with whitespace"),
    ("abc def1!", "invalid password; contains invalid characters"),
    ("", "password must not be empty"),
])
def test_bad_passwords_are_refused_with_rigs_messages(password: str, message: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        validate_password(password)
    assert raised.value.message == message


def test_generated_passwords_meet_the_policy() -> None:
    for _ in range(50):
        validate_password(generate_password())


def test_argon2id_hashes_verify() -> None:
    hasher = Argon2Passwords()
    stored = hasher.hash("abcdefg1!")
    assert stored.startswith("$argon2id$")
    assert hasher.verify("abcdefg1!", stored) == (True, False)
    assert hasher.verify("abcdefg2!", stored) == (False, False)
    assert hasher.verify("abcdefg1!", "garbage") == (False, False)


def test_secret_digests_are_keyed_and_survive_rotation() -> None:
    old, new = b"o" * 32, b"n" * 32
    digest = HmacSecretDigests(old).digest("secret_abc")
    assert "secret_abc" not in digest
    assert HmacSecretDigests(new, [old]).matches("secret_abc", digest)
    assert not HmacSecretDigests(new).matches("secret_abc", digest)
    assert not HmacSecretDigests(old).matches("secret_abd", digest)


def test_client_ids_must_be_rig_uuids() -> None:
    for bad in ("abc", "rig_", "rig_not-a-uuid"):
        with pytest.raises(InvalidArgument) as raised:
            parse_client_id(bad)
        assert raised.value.message == INVALID_CLIENT_ID


def test_printable_name_prefers_the_profile() -> None:
    assert printable_name("Ada", "Lovelace", "ada", "a@x.io", "") == "Ada Lovelace"
    assert printable_name("", "", "", "a@x.io", "+4512345678") == "a@x.io"
