"""A real SMTP server for tests (aiosmtpd on 127.0.0.1, with a login), and a rigd that mails through it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from tests.integration.test_email import Inbox, _free_port

SMTP_USER, SMTP_PASSWORD = "rigd-mailer", "planted-Smtp-pa55word"


def _login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (SMTP_USER.encode(),
                                                                             SMTP_PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A plain SMTP server that wants rigd's login (allowed without TLS: it is on 127.0.0.1)."""
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=_login, auth_required=True,
                            auth_require_tls=False)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@contextmanager
def mailing_rigd(settings: Settings, port: int) -> Iterator[Rigd]:
    rigd = build(replace(settings, smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none", smtp_user=SMTP_USER,
                         smtp_password=SMTP_PASSWORD, smtp_from="rigd@tests.rigd"), announce=lambda line: None)
    rigd.start()
    try:
        yield rigd
    finally:
        rigd.close()


def code_of(message: Message) -> str:
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    found = re.search(r"\b(\d{6})\b", body.decode())
    assert found is not None, "no 6-digit code in the delivered mail"
    return found.group(1)


def last_code(inbox: Inbox, to: str) -> str:
    mails = [message for message in inbox.messages if message["To"] == to]
    assert mails, f"no mail to {to}"
    return code_of(mails[-1])
