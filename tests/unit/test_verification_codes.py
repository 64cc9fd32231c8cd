"""Verification and reset codes, without a store (sealed with a real keyring)."""

import base64
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from rigd.adapters.secrets import Keyring
from rigd.domain.context import CommandContext, acting
from rigd.domain.verification_codes import (
    MAX_ATTEMPTS,
    CodePurpose,
    ExhaustedCode,
    ExpiredCode,
    InvalidCode,
    VerificationCode,
    new_code,
)

KEYRING = Keyring(b"k" * 32)
T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
TTL = timedelta(minutes=10)


@pytest.fixture(autouse=True)
def acting_scope() -> Iterator[None]:
    with acting(CommandContext()):
        yield


def _code() -> VerificationCode:
    return VerificationCode("u-1", str(CodePurpose.RESET_PASSWORD))


def test_codes_are_six_digits() -> None:
    codes = {new_code() for _ in range(200)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 150


def test_one_code_per_user_and_purpose() -> None:
    assert VerificationCode.create_id("u-1", CodePurpose.RESET_PASSWORD) == _code().id
    assert VerificationCode.create_id("u-1", CodePurpose.VERIFY_EMAIL) != _code().id


def test_the_code_is_stored_sealed_and_a_resend_reuses_it_while_valid() -> None:
    code = _code()
    sent = code.issue(T0, TTL, KEYRING, code="123456")
    assert code.issue(T0 + timedelta(minutes=9), TTL, KEYRING) == sent == "123456"
    issued = [e for e in code.collect_events() if isinstance(e, VerificationCode.Issued)]
    assert len(issued) == 1
    assert "123456" not in issued[0].sealed_code
    assert b"123456" not in base64.b64decode(issued[0].sealed_code.split(":")[-1])
    assert code.issue(T0 + TTL, TTL, KEYRING, code="654321") == "654321"  # the old one expired


def test_the_right_code_works_once() -> None:
    code = _code()
    code.issue(T0, TTL, KEYRING, code="123456")
    assert code.check(" 123456 ", T0 + timedelta(minutes=1), KEYRING) is None
    refused = code.check("123456", T0 + timedelta(minutes=1), KEYRING)
    assert isinstance(refused, InvalidCode) and refused.message == "invalid verification code"


def test_wrong_expired_and_exhausted_codes_are_refused_with_their_messages() -> None:
    code = _code()
    assert isinstance(code.check("000000", T0, KEYRING), InvalidCode)  # none issued
    code.issue(T0, TTL, KEYRING, code="123456")
    expired = code.check("123456", T0 + TTL, KEYRING)
    assert isinstance(expired, ExpiredCode) and expired.message == "verification code expired"
    code.issue(T0 + TTL, TTL, KEYRING, code="123456")
    for _ in range(MAX_ATTEMPTS - 1):
        assert isinstance(code.check("999999", T0 + TTL, KEYRING), InvalidCode)
    exhausted = code.check("999999", T0 + TTL, KEYRING)
    assert isinstance(exhausted, ExhaustedCode)
    assert exhausted.message.startswith("invalid verification code") and "request a new code" in exhausted.message
    assert isinstance(code.check("123456", T0 + TTL, KEYRING), ExhaustedCode)  # the right one no longer works
    assert code.issue(T0 + TTL, TTL, KEYRING, code="222222") == "222222"  # a re-send gives a new code
    assert code.check("222222", T0 + TTL, KEYRING) is None
