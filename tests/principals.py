"""Who the tests call as: service accounts and users made through the identity directory's
commands, and channels that send their credentials on every call.

rigd refuses every RPC but the auth-free ones without credentials, so the `channel` fixture
and `serving` call as the first admin (a Bearer token of a session of its own); a test
that is about another principal asks for one here."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc

from rigd.domain.context import CommandContext
from rigd.domain.service_accounts import client_id_of
from rigd.domain.sessions import Session, SubjectType
from rigd.domain.user_commands import UserUpdate
from rigd.proto.api.v1.authentication import service_pb2 as auth_pb
from rigd.proto.api.v1.authentication import user_pb2 as auth_user
from rigd.proto.model import user_pb2 as model_user
from rigd.services.composition import Rigd

AUTHORIZATION = "authorization"
# The identity read models the gate reads grants from; a new principal is ready once they caught up.
GRANT_READ_MODELS = ("roles", "groups", "users", "service_accounts")
TEST_PASSWORD = "test-pa55word!"


@dataclass(frozen=True)
class ServiceAccountCredentials:
    service_account_id: str
    client_id: str
    client_secret: str

    @property
    def authorization(self) -> str:
        """The `Authorization` header value of these credentials (Basic)."""
        pair = f"{self.client_id}:{self.client_secret}".encode()
        return f"Basic {base64.b64encode(pair).decode()}"


def settled(rigd: Rigd, notification_id: int) -> None:
    """Waits until the gate's grants reflect a change; a rigd whose projector was not
    started (tests of lagging read models) catches its read models up once instead."""
    if "projector" in rigd.started_roles:
        assert rigd.wait_for(notification_id, GRANT_READ_MODELS), "the identity read models did not catch up"
    else:
        rigd.projector.catch_up()


def service_account(rigd: Rigd, group: str = "admin", name: str = "") -> ServiceAccountCredentials:
    """A new service account in `group` (none for ""), ready to call once this returns."""
    written, account, secret = rigd.identity.service_accounts.create(
        CommandContext(), name or f"tests-{group or 'none'}-{uuid.uuid4().hex[:8]}", group)
    settled(rigd, written)
    return ServiceAccountCredentials(account.service_account_id, client_id_of(account.id), secret)


def user(rigd: Rigd, group: str = "", password: str = TEST_PASSWORD) -> tuple[str, str]:
    """A new user in `group` (none for "") with `password`; returns (user id, email)."""
    email = f"{group or 'nobody'}-{uuid.uuid4().hex[:8]}@tests.rigd"
    written, user_id = rigd.identity.users.create(
        CommandContext(), [UserUpdate("email", email), UserUpdate("password", password)], group)
    settled(rigd, written)
    return user_id, email


def session_authorization(rigd: Rigd, user_id: str) -> str:
    """A Bearer access token of a new session of `user_id`, minted by rigd's own `Tokens`
    for a recorded Session (what Login does, without needing the user's password)."""
    session_id = uuid.uuid4()

    def decide() -> Session:
        session = Session.start(session_id, user_id, "email_password", datetime.now(UTC) + timedelta(days=1))
        rigd.store.record(session)
        return session

    session = rigd.store.decide(CommandContext(), decide)
    pair = rigd.access.tokens.mint_pair(user_id, SubjectType.USER, str(session_id), timedelta(hours=1),
                                        timedelta(days=1), session_started=session.started_at)
    return f"Bearer {pair.access_token}"


def login_authorization(channel: grpc.Channel, email: str, password: str = TEST_PASSWORD) -> str:
    """A Bearer access token from authentication.Service/Login over `channel`."""
    login = channel.unary_unary("/api.v1.authentication.Service/Login",
                                request_serializer=auth_pb.LoginRequest.SerializeToString,
                                response_deserializer=auth_pb.LoginResponse.FromString)
    response = login(auth_pb.LoginRequest(user_password=auth_user.UserPassword(
        identifier=model_user.UserIdentifier(email=email), password=password)), timeout=60)
    return f"Bearer {response.token.access_token}"


def admin_authorization(rigd: Rigd) -> str:
    """A Bearer token of the first admin (the user rigd made at its first start, in group
    `admin`): a caller that adds nothing to the directory."""
    settled(rigd, rigd.store.max_notification_id())
    return session_authorization(rigd, rigd.identity.users.find_user_id("email", rigd.settings.admin_email))


class _Header(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,  # type: ignore[misc]
              grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds one `Authorization` header to every call (unless the call sets its own)."""

    def __init__(self, value: str) -> None:
        self._value = value

    def _details(self, details: Any) -> Any:
        metadata = list(details.metadata or ())
        if not any(key == AUTHORIZATION for key, _ in metadata):
            metadata.append((AUTHORIZATION, self._value))
        return _CallDetails(details.method, details.timeout, metadata, details.credentials,
                            details.wait_for_ready, details.compression)

    def intercept_unary_unary(self, continuation: Callable[..., Any], details: Any, request: Any) -> Any:
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation: Callable[..., Any], details: Any, request: Any) -> Any:
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation: Callable[..., Any], details: Any, requests: Any) -> Any:
        return continuation(self._details(details), requests)

    def intercept_stream_stream(self, continuation: Callable[..., Any], details: Any, requests: Any) -> Any:
        return continuation(self._details(details), requests)


@dataclass(frozen=True)
class _CallDetails(grpc.ClientCallDetails):  # type: ignore[misc]
    method: str
    timeout: float | None
    metadata: Any
    credentials: Any
    wait_for_ready: bool | None
    compression: Any


def calling_as(channel: grpc.Channel, authorization: str) -> grpc.Channel:
    """`channel`, sending `authorization` (an `Authorization` header value) on every call."""
    return grpc.intercept_channel(channel, _Header(authorization))
