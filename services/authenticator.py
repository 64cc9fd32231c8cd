"""The authenticate half of the gate: who calls, from the call's `Authorization` header.

- none: `anonymous` (the authorizer then admits only the auth-free RPCs);
- `Bearer <access JWT>`: the signature, algorithm, kind and expiry (adapters/tokens.py),
  then the session view (logged out, `reset_sessions`, deleted subject) and the subject's
  names, all from memory: no database read on this path;
- `Basic base64(client_id:client_secret)`: a service account's credentials, checked against
  the directory once and then remembered by client id and a digest of the secret (until
  the account is deleted), so a repeated call costs microseconds. An access token's
  signature is likewise verified once and its claims kept until it expires; the session
  view is asked at every call.

Anything else is Unauthenticated with a message that never repeats the credentials. For
the auth-free RPCs (Login, RefreshToken, ...) bad credentials do not matter: the caller is
`anonymous`, as if it had sent none."""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
import time
from collections.abc import Mapping
from contextvars import ContextVar

from rigd.adapters.tokens import TokenClaims, TokenKind, Tokens
from rigd.domain.context import Actor
from rigd.domain.errors import InvalidArgument, Unauthenticated
from rigd.domain.rbac import needs_credentials
from rigd.domain.service_accounts import ServiceAccountCommands, ServiceAccountNotFound, client_id_of
from rigd.domain.sessions import SubjectType
from rigd.domain.user_commands import UserCommands
from rigd.domain.users import UserNotFound, identifier, printable_name
from rigd.projections.principals import Principals
from rigd.projections.session_view import SessionView
from rigd.services.access import ANONYMOUS
from rigd.services.rpcs import Rpc

AUTHORIZATION = "authorization"
MALFORMED_HEADER = ("the authorization header must be 'Bearer <access token>' "
                    "or 'Basic <base64 of client_id:client_secret>'")
MALFORMED_BASIC = "the Basic credentials must be the base64 of 'client_id:client_secret'"
WRONG_CLIENT_CREDENTIALS = "wrong client credentials: unknown client id or wrong client secret"
SUBJECT_GONE = "the token's user or service account no longer exists"


class Authenticator:
    """Turns an Authorization header into the caller (`Actor`); Unauthenticated when it lies."""

    def __init__(self, tokens: Tokens, view: SessionView, principals: Principals, users: UserCommands,
                 service_accounts: ServiceAccountCommands, capacity: int = 10_000) -> None:
        self._tokens = tokens
        self._view = view
        self._principals = principals
        self._users = users
        self._service_accounts = service_accounts
        self._capacity = capacity
        self._lock = threading.Lock()
        # (client id, SHA-256 of the secret) -> service account id, for secrets checked once
        self._checked: dict[tuple[str, bytes], str] = {}
        # access tokens whose signature was verified once -> their claims (a client sends one
        # token for an hour: checking its signature once, not per call, is most of Bearer's cost)
        self._verified: dict[str, TokenClaims] = {}
        # The verified access token of the call this thread serves (Logout ends its session):
        # set by every `authenticate`, which runs before the servicer in the same context.
        self._current: ContextVar[TokenClaims | None] = ContextVar("rigd_access_token", default=None)

    def current_token(self) -> TokenClaims | None:
        """The claims of the access token the current call authenticated with (None: none, or Basic)."""
        return self._current.get()

    def authenticate(self, rpc: Rpc, headers: Mapping[str, str]) -> Actor:
        self._current.set(None)
        header = headers.get(AUTHORIZATION, "")
        if not header:
            return ANONYMOUS
        try:
            return self.actor_of(header)
        except Unauthenticated:
            if needs_credentials(rpc.path):
                raise
            return ANONYMOUS  # an auth-free RPC (a login, a refresh) needs no valid credentials

    def actor_of(self, header: str) -> Actor:
        """The caller an Authorization header value proves; Unauthenticated otherwise."""
        scheme, _, credentials = header.strip().partition(" ")
        credentials = credentials.strip()
        if not credentials:
            raise Unauthenticated(MALFORMED_HEADER)
        if scheme.lower() == "bearer":
            return self.bearer(credentials)
        if scheme.lower() == "basic":
            return self.basic(credentials)
        raise Unauthenticated(MALFORMED_HEADER)

    def bearer(self, token: str) -> Actor:
        claims = self._verified_claims(token)
        refusal = self._view.refusal(claims.subject_type, claims.subject, claims.session_id,
                                     claims.session_started.timestamp())
        if refusal:
            raise Unauthenticated(f"the access token is refused: {refusal}; log in again")
        actor = (self._service_account(claims.subject) if claims.subject_type is SubjectType.SERVICE_ACCOUNT
                 else self._user(claims.subject))
        self._current.set(claims)
        return actor

    def _verified_claims(self, token: str) -> TokenClaims:
        with self._lock:
            claims = self._verified.get(token)
        if claims is not None and claims.expires_at.timestamp() > time.time():
            return claims
        claims = self._tokens.verify(token, TokenKind.ACCESS)  # expired, forged, ...: Unauthenticated
        with self._lock:
            if len(self._verified) >= self._capacity:
                self._verified.clear()
            self._verified[token] = claims
        return claims

    def basic(self, credentials: str) -> Actor:
        client_id, secret = _client_credentials(credentials)
        key = (client_id, hashlib.sha256(secret.encode()).digest())
        with self._lock:
            account_id = self._checked.get(key)
        if account_id is not None and self._view.refusal(SubjectType.SERVICE_ACCOUNT, account_id, "", 0.0):
            with self._lock:
                self._checked.pop(key, None)
            account_id = None
        if account_id is None:
            account_id = self.check_client_secret(client_id, secret)
            with self._lock:
                if len(self._checked) >= self._capacity:
                    self._checked.clear()
                self._checked[key] = account_id
        return self._service_account(account_id)

    def check_client_secret(self, client_id: str, secret: str) -> str:
        """The live service account's id when `secret` is its secret (a store read)."""
        try:
            account_id = self._service_accounts.check_secret(client_id, secret)
        except InvalidArgument as error:  # "invalid client-ID format"
            raise Unauthenticated(error.message) from None
        if account_id is None or self._view.refusal(SubjectType.SERVICE_ACCOUNT, account_id, "", 0.0):
            raise Unauthenticated(WRONG_CLIENT_CREDENTIALS)
        return account_id

    def _user(self, user_id: str) -> Actor:
        names = self._principals.user(user_id)
        if names is not None:
            return Actor(identifier=names.identifier, printable_name=names.printable_name, user_id=user_id)
        # Not followed yet (created moments ago on another replica): the store knows.
        try:
            user = self._users.load_live(user_id)
        except UserNotFound:
            raise Unauthenticated(SUBJECT_GONE) from None
        return Actor(identifier=identifier(user.username, user.email, user.phone_number),
                     printable_name=printable_name(user.first_name, user.last_name, user.username, user.email,
                                                   user.phone_number),
                     user_id=user_id)

    def _service_account(self, account_id: str) -> Actor:
        names = self._principals.service_account(account_id)
        if names is not None:
            return Actor(identifier=names.client_id, printable_name=names.name, service_account_id=account_id)
        try:
            account = self._service_accounts.load_live(account_id)
        except ServiceAccountNotFound:
            raise Unauthenticated(SUBJECT_GONE) from None
        return Actor(identifier=client_id_of(account.id), printable_name=account.name,
                     service_account_id=account_id)


def _client_credentials(encoded: str) -> tuple[str, str]:
    """(client id, secret) from the base64 of `client_id:client_secret`."""
    try:
        decoded = base64.b64decode(encoded, validate=True).decode()
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        raise Unauthenticated(MALFORMED_BASIC) from None
    client_id, colon, secret = decoded.partition(":")
    if not colon or not client_id or not secret:
        raise Unauthenticated(MALFORMED_BASIC)
    return client_id, secret
