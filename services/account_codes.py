"""Codes mailed to a user and typed back: email verification and password reset.

Sending issues (or re-sends, while it is still valid) the user's 6-digit code of one
purpose, recorded sealed, mails it through SMTP with the user settings' template, and
returns a JWT `token` of that purpose that the client echoes back with the code. Typing it
back checks the token, then the code (a wrong guess counts, so it is saved before the
refusal), and applies the change in the same save that uses the code up. A password reset
also ends the user's older sessions."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from rigd.adapters.email import MailError, MailKind, MailTemplate, SmtpMailer
from rigd.adapters.tokens import TokenKind, Tokens
from rigd.domain.context import CommandContext
from rigd.domain.errors import DomainError, FailedPrecondition, InvalidArgument, NotFound, Unavailable
from rigd.domain.event_store import EventStore
from rigd.domain.passwords import PasswordHasher, Sealer, validate_password
from rigd.domain.sessions import SubjectType
from rigd.domain.user_commands import PASSWORD_FIELD, UserCommands
from rigd.domain.user_settings import UserSettingsCommands
from rigd.domain.users import User, UserNotFound, identifier
from rigd.domain.verification_codes import CodePurpose, VerificationCode, load_code

log = logging.getLogger(__name__)

TOKEN_TTL = timedelta(hours=1)  # of the JWT `token` sent back with a code
NO_MAILER = "no mail server is configured (set smtp_host): codes cannot be sent"
_TOKEN_KINDS = {CodePurpose.VERIFY_EMAIL: TokenKind.VERIFY_EMAIL, CodePurpose.RESET_PASSWORD: TokenKind.RESET_PASSWORD}
_MAIL = {CodePurpose.VERIFY_EMAIL: (MailKind.VERIFY_EMAIL, "verify_email"),
         CodePurpose.RESET_PASSWORD: (MailKind.RESET_PASSWORD, "reset_password_email")}


class AccountCodes:
    def __init__(self, store: EventStore, tokens: Tokens, users: UserCommands, hasher: PasswordHasher,
                 sealer: Sealer, settings: UserSettingsCommands, mailer: Callable[[], SmtpMailer | None]) -> None:
        self._store = store
        self._tokens = tokens
        self._users = users
        self._hasher = hasher
        self._sealer = sealer
        self._settings = settings
        self._mailer = mailer

    def send(self, ctx: CommandContext, user_id: str, purpose: CodePurpose) -> str:
        """Mails the user's code of `purpose`; returns the token to echo back with it."""
        user = self._users.load_live(user_id)
        if not user.email:
            raise FailedPrecondition(f"user {user_id} has no email address to send a code to")
        mailer = self._mailer()
        if mailer is None:
            raise FailedPrecondition(NO_MAILER)
        ttl = timedelta(seconds=self._settings.current().verification_code_ttl)

        def decide() -> str:
            code = load_code(self._store, user_id, purpose)
            issued = code.issue(datetime.now(UTC), ttl, self._sealer)
            self._store.record(code)  # nothing when the outstanding code is mailed again
            return issued

        code = self._store.decide(ctx, decide)
        kind, template_name = _MAIL[purpose]
        try:
            mailer.send_mail(kind, user.email, identifier(user.username, user.email, user.phone_number), code,
                             self._template(template_name))
        except MailError as error:  # names the server, never the credentials or the code
            raise Unavailable(f"{error}; try again later") from None
        # the code's own expiry governs; its token outlives it, so an expired code says so
        return self._tokens.mint(_TOKEN_KINDS[purpose], user_id, SubjectType.USER, max(ttl, TOKEN_TTL))

    def welcome(self, user_id: str) -> None:
        """Mails a registered user the welcome template when `send_welcome_mail` is on and mail is
        configured; a mail that cannot be sent is logged, not raised (the registration stands)."""
        mailer = self._mailer()
        settings = self._settings.current()
        user = self._users.load_live(user_id)
        if mailer is None or not settings["send_welcome_mail"] or not user.email:
            return
        try:
            mailer.send_mail(MailKind.WELCOME, user.email, identifier(user.username, user.email, user.phone_number),
                             template=self._template("welcome_email"))
        except MailError as error:
            log.warning("welcome mail not sent: %s", error)

    def send_verification_if_possible(self, ctx: CommandContext, user_id: str) -> None:
        """A login refused for an unverified email mails a code when it can (quietly otherwise)."""
        with contextlib.suppress(DomainError):
            self.send(ctx, user_id, CodePurpose.VERIFY_EMAIL)

    def reset_password(self, ctx: CommandContext, token: str, code: str, new_password: str,
                       named_user_id: str = "") -> int:
        """Sets the new password when `code` is the user's reset code (and ends older sessions)."""
        user_id = self._token_subject(token, CodePurpose.RESET_PASSWORD, named_user_id)
        sealed_hash = self._hasher.hash(validate_password(new_password))

        def change(user: User) -> None:
            user.set_password(self._sealer.seal(sealed_hash.encode(), user.id, PASSWORD_FIELD))
            user.reset_sessions()

        return self._use_code(ctx, user_id, CodePurpose.RESET_PASSWORD, code, change)

    def verify_email(self, ctx: CommandContext, token: str, code: str, email: str) -> int:
        user_id = self._token_subject(token, CodePurpose.VERIFY_EMAIL)

        def change(user: User) -> None:
            if email and email.casefold() != user.email.casefold():
                raise InvalidArgument("the email is not the address the code was sent to")
            user.set_email_verified(True)

        return self._use_code(ctx, user_id, CodePurpose.VERIFY_EMAIL, code, change)

    def _use_code(self, ctx: CommandContext, user_id: str, purpose: CodePurpose, typed: str,
                  change: Callable[[User], None]) -> int:
        def decide() -> tuple[int, DomainError | None]:
            user = self._users.load_live(user_id)
            code = self._store.load(VerificationCode.create_id(user_id, str(purpose)), VerificationCode)
            if code is None:
                return 0, InvalidArgument("invalid verification code")
            change(user)  # refusals of the change itself come first: they use no attempt
            refused = code.check(typed, datetime.now(UTC), self._sealer)
            if refused is not None:
                return self._store.record(code), refused  # a wrong guess counts
            return self._store.record(code, user), None

        written, refused = self._store.decide(ctx, decide)
        if refused is not None:
            raise refused
        return written

    def _token_subject(self, token: str, purpose: CodePurpose, named_user_id: str = "") -> str:
        if not token:
            raise InvalidArgument("token must be the token the code was sent with")
        claims = self._tokens.verify(token, _TOKEN_KINDS[purpose])
        if named_user_id and named_user_id != claims.subject:
            raise InvalidArgument("the token was issued for another user")
        return claims.subject

    def _template(self, name: str) -> MailTemplate | None:
        template = self._settings.current().template(name)
        if not template.get("subject") and not template.get("body"):
            return None
        return MailTemplate(str(template.get("subject", "")), str(template.get("body", "")))


def user_id_for(users: UserCommands, kind: str, value: str) -> str:
    """The user an identifier names: NOT_FOUND "user not found" when none."""
    try:
        return users.find_user_id(kind, value)
    except UserNotFound:
        raise NotFound("user not found") from None
