"""Mail to users over SMTP: the welcome, verification and password-reset messages.

Templates use the placeholders of Rig's user settings, `{{ .Identifier }}`, `{{ .Email }}`
and `{{ .Code }}`. The SMTP password is used to log in and never appears in a log line or
an error (SmtpSettings hides it from repr; errors name the server, not the credentials)."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import StrEnum

log = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{\{\s*\.(Identifier|Email|Code)\s*\}\}")
TLS_MODES = ("none", "starttls", "tls")


class MailKind(StrEnum):
    WELCOME = "welcome"
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"


@dataclass(frozen=True)
class MailTemplate:
    subject: str
    body: str


DEFAULT_TEMPLATES: dict[MailKind, MailTemplate] = {
    MailKind.WELCOME: MailTemplate(
        "Your rigd account is ready",
        "Hello {{ .Identifier }},\n\nan account on rigd now exists for {{ .Email }}. Welcome!\n"),
    MailKind.VERIFY_EMAIL: MailTemplate(
        "Confirm your email address",
        "Hello {{ .Identifier }},\n\nto confirm {{ .Email }}, enter this code: {{ .Code }}\n\n"
        "The code works once and expires soon. If you did not ask for it, ignore this mail.\n"),
    MailKind.RESET_PASSWORD: MailTemplate(
        "Reset your password",
        "Hello {{ .Identifier }},\n\nto choose a new password, enter this code: {{ .Code }}\n\n"
        "The code works once and expires soon. If you did not ask for it, ignore this mail: "
        "your password stays as it is.\n"),
}


def render(template: str, identifier: str, email: str, code: str = "") -> str:
    """The template with its placeholders filled in (spacing inside the braces may vary)."""
    values = {"Identifier": identifier, "Email": email, "Code": code}
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


class MailError(Exception):
    """A mail could not be sent; the message names the server, never the credentials."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    tls: str = "starttls"  # none, starttls (upgrade a plain connection) or tls (TLS from the start)
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    timeout: float = 10.0
    # whom the server's certificate must be signed by; None: the system's trusted authorities
    tls_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.tls not in TLS_MODES:
            raise ValueError(f"the TLS mode must be one of {', '.join(TLS_MODES)}, got {self.tls!r}")


class SmtpMailer:
    """Sends one message per call over a fresh SMTP connection (mail is rare: no pool)."""

    def __init__(self, settings: SmtpSettings, templates: dict[MailKind, MailTemplate] | None = None) -> None:
        self._settings = settings
        self._templates = {**DEFAULT_TEMPLATES, **(templates or {})}

    def send_mail(self, kind: MailKind, to: str, identifier: str, code: str = "",
                  template: MailTemplate | None = None) -> None:
        """Renders the template of `kind` (or `template`, e.g. from the user settings) for one
        user and sends it to `to`."""
        chosen = template or self._templates[kind]
        self.send(to, render(chosen.subject, identifier, to, code), render(chosen.body, identifier, to, code))

    def send(self, to: str, subject: str, body: str) -> None:
        settings = self._settings
        message = EmailMessage()
        message["From"] = settings.sender or (settings.user if "@" in settings.user else f"rigd@{settings.host}")
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        where = f"{settings.host}:{settings.port}"
        try:
            with self._connect() as client:
                if settings.user:
                    client.login(settings.user, settings.password)
                client.send_message(message)
        except smtplib.SMTPAuthenticationError:
            raise MailError(f"the SMTP server {where} refused the login of user {settings.user!r}") from None
        except smtplib.SMTPRecipientsRefused:
            raise MailError(f"the SMTP server {where} refused the recipient") from None
        except (smtplib.SMTPException, OSError) as error:
            # the reason, not the exception's text: a server's reply may quote what we sent
            raise MailError(f"could not send mail through {where} ({type(error).__name__})") from None
        log.info("mail sent through %s", where)  # not the subject: a template may put the code there

    def _connect(self) -> smtplib.SMTP:
        settings = self._settings
        context = settings.tls_context or ssl.create_default_context()
        if settings.tls == "tls":
            return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        try:
            if settings.tls == "starttls":
                client.starttls(context=context)
        except BaseException:
            client.close()
            raise
        return client
