"""Logins: passwords and client credentials in, token pairs out; refresh and logout.

A user's login asks the throttle first (a locked identifier is refused, a correct password
too), then the directory (unknown: NOT_FOUND "user not found"; a wrong password counts a
failure and is UNAUTHENTICATED "wrong password"), then the settings (a login mechanism that
is off, an unverified email when verification is required), and records the new session
with the throttle's success in one save. A service account logs in without a session.

Refresh rotates the session's generation and returns a new pair every time; a replayed
rotated refresh token ends the session (the invalidation is saved before the refusal).
Invalidations are applied to this process's session view right after the save, so its
own next call is refused at once; other processes follow the log."""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from rigd.adapters.tokens import TokenClaims, TokenKind, TokenPair, Tokens
from rigd.domain.context import CommandContext
from rigd.domain.errors import DomainError, FailedPrecondition, NotFound, Unauthenticated
from rigd.domain.event_store import EventStore
from rigd.domain.login_throttle import POLICY, LoginThrottle, ThrottlePolicy, load_throttle, login_refusal
from rigd.domain.passwords import PasswordHasher
from rigd.domain.service_accounts import ServiceAccountCommands, ServiceAccountNotFound
from rigd.domain.sessions import InvalidationReason, Session, SubjectType
from rigd.domain.user_commands import UserCommands
from rigd.domain.user_settings import LOGIN_EMAIL_PASSWORD, LOGIN_USERNAME_PASSWORD, UserSettingsCommands
from rigd.domain.users import User, UserNotFound
from rigd.projections.session_view import SessionViewReaction

LOGIN_PHONE_PASSWORD = 2  # model.LoginType (deprecated: text is not supported)
LOGIN_TYPES = {"email": LOGIN_EMAIL_PASSWORD, "username": LOGIN_USERNAME_PASSWORD, "phone": LOGIN_PHONE_PASSWORD}
AUTH_METHODS = {LOGIN_EMAIL_PASSWORD: "email_password", LOGIN_USERNAME_PASSWORD: "username_password",
                LOGIN_PHONE_PASSWORD: "phone_password"}
USER_NOT_FOUND = "user not found"
WRONG_PASSWORD = "wrong password"
EMAIL_NOT_VERIFIED = "email is not verified"
WRONG_CLIENT_CREDENTIALS = "wrong client credentials: unknown client id or wrong client secret"
SUBJECT_GONE = "the token's user or service account no longer exists"


@dataclass(frozen=True)
class LoggedIn:
    pair: TokenPair
    user_id: str = ""  # "" for a service account
    service_account_id: str = ""


class Logins:
    def __init__(self, store: EventStore, tokens: Tokens, users: UserCommands, hasher: PasswordHasher,
                 service_accounts: ServiceAccountCommands, settings: UserSettingsCommands,
                 reaction: SessionViewReaction, send_verification: Callable[[CommandContext, str], Any],
                 policy: ThrottlePolicy = POLICY, sleep: Callable[[float], None] = time.sleep) -> None:
        self._store = store
        self._tokens = tokens
        self._users = users
        self._hasher = hasher
        self._service_accounts = service_accounts
        self._settings = settings
        self._reaction = reaction
        self._send_verification = send_verification
        self._policy = policy
        self._sleep = sleep

    def login_password(self, ctx: CommandContext, kind: str, value: str, password: str) -> LoggedIn:
        """`kind` is "email", "username" or "phone"."""
        self._refuse_throttled(value)
        try:
            user_id = self._users.find_user_id(kind, value)
        except UserNotFound:
            raise NotFound(USER_NOT_FOUND) from None
        matches, upgrade = self._users.check_password(user_id, password)
        if not matches:
            self._failed(ctx, value)
            raise Unauthenticated(WRONG_PASSWORD)
        settings = self._settings.current()
        login_type = LOGIN_TYPES[kind]
        if login_type not in settings["login_mechanisms"]:
            raise FailedPrecondition(f"logging in with {kind} and password is turned off in the user settings")
        user = self._users.load_live(user_id)
        if kind == "email" and settings["is_verified_email_required"] and not user.is_email_verified:
            self._send_verification(ctx, user_id)
            raise FailedPrecondition(EMAIL_NOT_VERIFIED)
        if upgrade:  # an imported bcrypt or scrypt hash: argon2id from now on
            self._users.set_password_hash(ctx, user_id, self._hasher.hash(password))
        return LoggedIn(self._start_session(ctx, user, value, AUTH_METHODS[login_type]), user_id=user_id)

    def login_client(self, ctx: CommandContext, client_id: str, secret: str) -> LoggedIn:
        """A service account's login: a pair without a stored session (InvalidArgument for a
        malformed client id)."""
        self._refuse_throttled(client_id)
        account_id = self._service_accounts.check_secret(client_id, secret)
        if account_id is None:
            self._failed(ctx, client_id)
            raise Unauthenticated(WRONG_CLIENT_CREDENTIALS)
        self._clear_throttle(ctx, client_id)
        return LoggedIn(self._account_pair(account_id), service_account_id=account_id)

    def refresh(self, ctx: CommandContext, refresh_token: str) -> TokenPair:
        """A new pair for a refresh token (PERMISSION_DENIED when its session has ended)."""
        claims = self._tokens.verify(refresh_token, TokenKind.REFRESH)
        if claims.subject_type is SubjectType.SERVICE_ACCOUNT:
            try:
                self._service_accounts.load_live(claims.subject)
            except ServiceAccountNotFound:
                raise Unauthenticated(SUBJECT_GONE) from None
            return self._account_pair(claims.subject)
        return self._renew(ctx, claims)

    def logout(self, ctx: CommandContext, claims: TokenClaims | None) -> None:
        """Ends the session of the caller's access token (a service account has none)."""
        if claims is None or claims.subject_type is not SubjectType.USER:
            return

        def decide() -> list[Any]:
            session = self._store.load(_uuid(claims.session_id), Session)
            if session is None:
                return []
            session.invalidate(InvalidationReason.LOGOUT)
            pending = list(session.pending_events)
            self._store.record(session)
            return pending

        self._reaction.apply(self._store.decide(ctx, decide))

    def _renew(self, ctx: CommandContext, claims: TokenClaims) -> TokenPair:
        settings = self._settings.current()
        refresh_ttl = timedelta(seconds=settings.refresh_token_ttl)

        def decide() -> tuple[Session, DomainError | None, list[Any]]:
            session = self._store.load(_uuid(claims.session_id), Session)
            if session is None or session.user_id != claims.subject:
                raise Unauthenticated("the refresh token's session does not exist")
            try:
                user = self._users.load_live(claims.subject)
            except UserNotFound:
                raise Unauthenticated(SUBJECT_GONE) from None
            now = datetime.now(UTC)
            refused = session.renew(claims.generation, now + refresh_ttl, now, user.new_sessions_since)
            pending = list(session.pending_events)
            self._store.record(session)
            return session, refused, pending

        session, refused, pending = self._store.decide(ctx, decide)
        self._reaction.apply(pending)
        if refused is not None:
            raise refused
        return self._tokens.mint_pair(
            claims.subject, SubjectType.USER, claims.session_id, timedelta(seconds=settings.access_token_ttl),
            refresh_ttl, session_started=session.started_at, generation=session.generation)

    def _start_session(self, ctx: CommandContext, user: User, identifier: str, auth_method: str) -> TokenPair:
        settings = self._settings.current()
        refresh_ttl = timedelta(seconds=settings.refresh_token_ttl)
        _after_reset_second(user, self._sleep)

        def decide() -> Session:
            session = Session.start(uuid.uuid4(), user.user_id, auth_method, datetime.now(UTC) + refresh_ttl)
            # the success clears the identifier's failures, in the session's save
            throttle = self._store.load(LoginThrottle.create_id(identifier), LoginThrottle)
            if throttle is not None:
                throttle.record_success()
            self._store.record(session, *([throttle] if throttle is not None else []))
            return session

        session = self._store.decide(ctx, decide)
        return self._tokens.mint_pair(user.user_id, SubjectType.USER, str(session.id),
                                      timedelta(seconds=settings.access_token_ttl), refresh_ttl,
                                      session_started=session.started_at)

    def _account_pair(self, account_id: str) -> TokenPair:
        settings = self._settings.current()
        return self._tokens.mint_pair(account_id, SubjectType.SERVICE_ACCOUNT, str(uuid.uuid4()),
                                      timedelta(seconds=settings.access_token_ttl),
                                      timedelta(seconds=settings.refresh_token_ttl))

    def _refuse_throttled(self, identifier: str) -> None:
        refused = login_refusal(self._store, identifier, datetime.now(UTC))
        if refused is not None:
            raise refused

    def _failed(self, ctx: CommandContext, identifier: str) -> None:
        """Counts a failure (it may lock the identifier) and holds the answer back as the policy says."""

        def decide() -> float:
            throttle = load_throttle(self._store, identifier)
            delay = throttle.record_failure(datetime.now(UTC), self._policy)
            self._store.record(throttle)
            return delay

        delay = self._store.decide(ctx, decide)
        if delay:
            remaining = ctx.bounds.remaining()
            self._sleep(delay if remaining is None else min(delay, remaining))

    def _clear_throttle(self, ctx: CommandContext, identifier: str) -> None:
        def decide() -> int:
            throttle = load_throttle(self._store, identifier)
            if not throttle.version:
                return 0
            throttle.record_success()
            return self._store.record(throttle)

        self._store.decide(ctx, decide)


def _after_reset_second(user: User, sleep: Callable[[float], None]) -> None:
    """Tokens carry their session's start in whole seconds (`auth_time`, rounded down), and a
    session that started before its user's `reset_sessions` is dead. A login in the very
    second of a reset would look older than it: it waits for the next second."""
    since = user.new_sessions_since
    if since is None:
        return
    next_second = math.floor(since.timestamp()) + 1
    wait = next_second - time.time()
    if wait > 0:
        sleep(wait)


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise Unauthenticated("the token names no session") from None
