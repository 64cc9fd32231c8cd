"""Calling rigd as a logged-in client: authentication.Service over gRPC, and channels whose
calls carry the tokens Login returned."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import grpc
import pytest

from rigd.domain.context import Actor, CommandContext
from rigd.domain.permissions import BUILT_IN_ROLES, Permission
from rigd.domain.user_commands import UserUpdate
from rigd.proto.api.v1.authentication import service_pb2 as auth_pb
from rigd.proto.api.v1.authentication import user_pb2 as auth_user
from rigd.proto.model import user_pb2 as model_user
from rigd.services.composition import Rigd
from rigd.services.rbac_gate import Authorizer, CachedGrants, CheckingGate
from tests.conftest import serving

PASSWORD = "Login-pa55word!"
AUTH = "/api.v1.authentication.Service/"
WAIT = 30.0


class Everything:
    """Test only: every known principal holds the admin role (these tests are about who calls)."""

    def permissions_of(self, actor: Actor) -> Sequence[Permission]:
        return BUILT_IN_ROLES["admin"]


@contextmanager
def checking(rigd: Rigd) -> Iterator[grpc.Channel]:
    """A channel to `rigd` served behind its real authenticator (and an allow-all authorizer)."""
    rigd.gate = CheckingGate(rigd.authenticator, Authorizer(CachedGrants(Everything(), lambda: 0)))
    with serving(rigd, authorization=None) as channel:  # each call brings its own credentials
        yield channel


def call(channel: grpc.Channel, path: str, request: Any, response: Any, authorization: str = "") -> Any:
    if not path.startswith("/"):
        path = AUTH + path
    method = channel.unary_unary(
        path, request_serializer=type(request).SerializeToString, response_deserializer=response.FromString)
    return method(request, metadata=(("authorization", authorization),) if authorization else None, timeout=60)


def refused(channel: grpc.Channel, path: str, request: Any, response: Any, authorization: str = "") -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as raised:
        call(channel, path, request, response, authorization)
    return raised.value


def make_user(rigd: Rigd, email: str = "", username: str = "", password: str = PASSWORD,
              verified: bool = False) -> str:
    email = email or f"user-{uuid.uuid4().hex[:8]}@tests.rigd"
    updates = [UserUpdate("email", email), UserUpdate("password", password)]
    updates += [UserUpdate("username", username)] if username else []
    updates += [UserUpdate("is_email_verified", True)] if verified else []
    written, user_id = rigd.identity.users.create(CommandContext(), updates)
    assert rigd.wait_for(written, ("users",))
    return user_id


def by_email(email: str) -> model_user.UserIdentifier:
    return model_user.UserIdentifier(email=email)


def login_request(identifier: model_user.UserIdentifier, password: str = PASSWORD) -> auth_pb.LoginRequest:
    return auth_pb.LoginRequest(user_password=auth_user.UserPassword(identifier=identifier, password=password))


def login(channel: grpc.Channel, identifier: model_user.UserIdentifier,
          password: str = PASSWORD) -> auth_pb.LoginResponse:
    return call(channel, "Login", login_request(identifier, password), auth_pb.LoginResponse)


def client_login(channel: grpc.Channel, client_id: str, secret: str) -> auth_pb.LoginResponse:
    request = auth_pb.LoginRequest(
        client_credentials=auth_user.ClientCredentials(client_id=client_id, client_secret=secret))
    return call(channel, "Login", request, auth_pb.LoginResponse)


def bearer(token: str) -> str:
    return f"Bearer {token}"


def who(channel: grpc.Channel, access_token: str) -> auth_pb.GetResponse:
    return call(channel, "Get", auth_pb.GetRequest(), auth_pb.GetResponse, bearer(access_token))


def refresh(channel: grpc.Channel, refresh_token: str) -> auth_pb.RefreshTokenResponse:
    return call(channel, "RefreshToken", auth_pb.RefreshTokenRequest(refresh_token=refresh_token),
                auth_pb.RefreshTokenResponse)


def refresh_refused(channel: grpc.Channel, refresh_token: str) -> grpc.RpcError:
    return refused(channel, "RefreshToken", auth_pb.RefreshTokenRequest(refresh_token=refresh_token),
                   auth_pb.RefreshTokenResponse)


def who_refused(channel: grpc.Channel, access_token: str) -> grpc.RpcError:
    return refused(channel, "Get", auth_pb.GetRequest(), auth_pb.GetResponse, bearer(access_token))
