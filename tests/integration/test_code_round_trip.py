"""The parts of SendPasswordReset/ResetPassword put together, on both stores: a code is
issued (sealed in the store), mailed to a real SMTP server, read back from the mail, and
typed in with the JWT `token` the send returned; wrong, expired and exhausted codes are
refused with their messages, and the code is never stored in clear."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller

from rigd.adapters.email import MailKind, SmtpMailer, SmtpSettings
from rigd.adapters.tokens import SigningKeys, TokenKind, Tokens
from rigd.domain.context import CommandContext
from rigd.domain.errors import InvalidArgument, Unauthenticated
from rigd.domain.sessions import SubjectType
from rigd.domain.verification_codes import MAX_ATTEMPTS, CodePurpose, load_code
from rigd.services.composition import Rigd
from tests.integration.test_email import Inbox

TTL = timedelta(minutes=10)
TOKENS = Tokens(SigningKeys.hmac(b"t" * 64))


@pytest.fixture
def mail() -> Iterator[tuple[Inbox, SmtpMailer]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, SmtpMailer(SmtpSettings("127.0.0.1", port, tls="none"))
    finally:
        controller.stop()


def send_password_reset(rigd: Rigd, mailer: SmtpMailer, user_id: str, now: datetime) -> str:
    """Issues (or re-sends) the code, mails it, and returns the `token` of the response."""

    def decide() -> str:
        code = load_code(rigd.store, user_id, CodePurpose.RESET_PASSWORD)
        plain = code.issue(now, TTL, rigd.keyring)
        rigd.store.record(code)
        mailer.send_mail(MailKind.RESET_PASSWORD, "ada@example.com", "ada", code=plain)
        return TOKENS.mint(TokenKind.RESET_PASSWORD, user_id, SubjectType.USER, TTL)

    return rigd.store.decide(CommandContext(), decide)


def reset_password(rigd: Rigd, token: str, typed: str, now: datetime) -> None:
    user_id = TOKENS.verify(token, TokenKind.RESET_PASSWORD).subject

    def decide() -> None:
        code = load_code(rigd.store, user_id, CodePurpose.RESET_PASSWORD)
        refused = code.check(typed, now, rigd.keyring)
        rigd.store.record(code)  # a wrong guess counts
        if refused is not None:
            raise refused

    rigd.store.decide(CommandContext(), decide)


def mailed_code(inbox: Inbox) -> str:
    found = re.search(r"\b(\d{6})\b", str(inbox.messages[-1].get_payload(decode=True)))
    assert found is not None
    return found.group(1)


def test_a_reset_code_round_trip(rigd: Rigd, mail: tuple[Inbox, SmtpMailer]) -> None:
    inbox, mailer = mail
    now = datetime.now(UTC)
    token = send_password_reset(rigd, mailer, "u-1", now)
    code = mailed_code(inbox)
    assert send_password_reset(rigd, mailer, "u-1", now + timedelta(minutes=1)) and mailed_code(inbox) == code
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(InvalidArgument, match=r"^invalid verification code$"):
        reset_password(rigd, token, wrong, now)
    with pytest.raises(Unauthenticated, match="an access token cannot be used as a password-reset token"):
        reset_password(rigd, TOKENS.mint(TokenKind.ACCESS, "u-1", SubjectType.USER, TTL), code, now)
    reset_password(rigd, token, code, now)
    with pytest.raises(InvalidArgument, match=r"^invalid verification code$"):  # used up
        reset_password(rigd, token, code, now)
    # every recorded text but the random request ids (hex, which may hold 6 digits by chance);
    # not the raw rows: timestamps' microseconds are 6 digits too
    recorded = rigd.store.recorder.select_notifications(start=1, limit=1000)
    events = [rigd.store.mapper.to_domain_event(n) for n in recorded]
    texts = [value for e in events for name, value in vars(e).items()
             if isinstance(value, str) and name not in ("request_id", "causation_id")]
    assert any(value.startswith("v2:") for value in texts)  # the sealed code is among them
    assert not any(code in value for value in texts)


def test_expired_and_exhausted_codes(rigd: Rigd, mail: tuple[Inbox, SmtpMailer]) -> None:
    inbox, mailer = mail
    now = datetime.now(UTC)
    token = send_password_reset(rigd, mailer, "u-2", now)
    with pytest.raises(InvalidArgument, match=r"^verification code expired$"):
        reset_password(rigd, token, mailed_code(inbox), now + TTL)
    token = send_password_reset(rigd, mailer, "u-2", now + TTL)  # a new code: the old one expired
    code = mailed_code(inbox)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MAX_ATTEMPTS - 1):
        with pytest.raises(InvalidArgument, match=r"^invalid verification code$"):
            reset_password(rigd, token, wrong, now + TTL)
    with pytest.raises(InvalidArgument, match="request a new code"):
        reset_password(rigd, token, wrong, now + TTL)
    with pytest.raises(InvalidArgument, match="request a new code"):  # attempts survive in the store
        reset_password(rigd, token, code, now + TTL)
