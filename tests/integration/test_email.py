"""Mail is delivered to a real SMTP server (aiosmtpd on 127.0.0.1): plain, with AUTH after
STARTTLS, and over implicit TLS; the code is read back from the delivered message."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from rigd.adapters.email import MailError, MailKind, MailTemplate, SmtpMailer, SmtpSettings, render

USER, PASSWORD = "mailer", "smtp-Pa55word-planted"


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps every delivered message."""

    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own authority)."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rigd test SMTP")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


def _client_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A plain SMTP server, no login."""
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    """A server that requires STARTTLS and then AUTH (its login is refused before TLS)."""
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=_server_context(certificate),
                            require_starttls=True, authenticator=_authenticator, auth_required=True,
                            auth_require_tls=True)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _code_of(message: Message) -> str:
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    found = re.search(r"\b(\d{6})\b", body.decode())
    assert found is not None, "no 6-digit code in the delivered mail"
    return found.group(1)


def test_templates_render_rigs_placeholders() -> None:
    text = "{{ .Identifier }} / {{.Email}} / {{  .Code  }} / {{ .Other }}"
    assert render(text, "ada", "ada@example.com", "123456") == "ada / ada@example.com / 123456 / {{ .Other }}"


def test_a_verification_code_is_delivered_and_read_back(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    mailer = SmtpMailer(SmtpSettings("127.0.0.1", port, tls="none", sender="rigd@example.com"))
    mailer.send_mail(MailKind.VERIFY_EMAIL, "ada@example.com", "ada", code="042917")
    mailer.send_mail(MailKind.WELCOME, "ada@example.com", "ada")
    verification, welcome = inbox.messages
    assert (verification["To"], verification["From"]) == ("ada@example.com", "rigd@example.com")
    assert _code_of(verification) == "042917"
    assert "ada@example.com" in str(welcome.get_payload(decode=True))
    custom = MailTemplate("Code {{ .Code }}", "Reset for {{ .Identifier }}: {{ .Code }}")
    mailer.send_mail(MailKind.RESET_PASSWORD, "ada@example.com", "ada", code="777001", template=custom)
    assert inbox.messages[-1]["Subject"] == "Code 777001" and _code_of(inbox.messages[-1]) == "777001"


def test_auth_after_starttls_delivers(starttls_server: tuple[Inbox, int], certificate: tuple[Path, Path]) -> None:
    inbox, port = starttls_server
    mailer = SmtpMailer(SmtpSettings("127.0.0.1", port, tls="starttls", user=USER, password=PASSWORD,
                                     sender="rigd@example.com", tls_context=_client_context(certificate)))
    mailer.send_mail(MailKind.RESET_PASSWORD, "ada@example.com", "ada", code="314159")
    assert _code_of(inbox.messages[0]) == "314159"


def test_a_wrong_password_or_an_untrusted_certificate_is_a_clear_error_without_the_password(
        starttls_server: tuple[Inbox, int], certificate: tuple[Path, Path],
        caplog: pytest.LogCaptureFixture) -> None:
    inbox, port = starttls_server
    caplog.set_level(logging.DEBUG)
    wrong = SmtpSettings("127.0.0.1", port, user=USER, password="not-" + PASSWORD,
                         tls_context=_client_context(certificate))
    with pytest.raises(MailError, match="refused the login of user 'mailer'") as refused:
        SmtpMailer(wrong).send("ada@example.com", "s", "b")
    untrusted = SmtpSettings("127.0.0.1", port, user=USER, password=PASSWORD)  # the system's authorities only
    with pytest.raises(MailError, match=r"could not send mail through 127\.0\.0\.1") as unverified:
        SmtpMailer(untrusted).send("ada@example.com", "s", "b")
    plain = SmtpSettings("127.0.0.1", port, tls="none", user=USER, password=PASSWORD)
    with pytest.raises(MailError):  # the server refuses AUTH before TLS: the password never goes in clear
        SmtpMailer(plain).send("ada@example.com", "s", "b")
    assert inbox.messages == []
    for shown in (str(refused.value), str(unverified.value), caplog.text, repr(wrong), repr(plain)):
        assert PASSWORD not in shown


def test_implicit_tls_delivers(certificate: tuple[Path, Path]) -> None:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=_server_context(certificate))
    controller.start()
    try:
        mailer = SmtpMailer(SmtpSettings("127.0.0.1", port, tls="tls", tls_context=_client_context(certificate)))
        mailer.send_mail(MailKind.VERIFY_EMAIL, "ada@example.com", "ada", code="271828")
    finally:
        controller.stop()
    assert _code_of(inbox.messages[0]) == "271828"
