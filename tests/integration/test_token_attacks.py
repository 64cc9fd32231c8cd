"""Token attacks, end to end over gRPC on both stores: every forged, stale or misused token
is UNAUTHENTICATED (PERMISSION_DENIED for a refresh of an ended session), and no refusal
repeats the token. The tokens start from a real Login."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import grpc
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from rigd.adapters.tokens import TokenKind
from rigd.domain.context import CommandContext
from rigd.domain.sessions import SubjectType
from rigd.domain.user_commands import UserUpdate
from rigd.proto.api.v1.authentication import service_pb2 as auth_pb
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from tests.logins import (
    WAIT,
    bearer,
    by_email,
    call,
    checking,
    client_login,
    login,
    make_user,
    refresh,
    refresh_refused,
    who,
    who_refused,
)

Code = grpc.StatusCode


@pytest.fixture
def api(rigd: Rigd) -> Iterator[grpc.Channel]:
    with checking(rigd) as channel:
        yield channel


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, object]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def _unsigned(header: dict[str, object], claims: dict[str, object]) -> str:
    return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"


def refused_as(api: grpc.Channel, token: str, code: Code = Code.UNAUTHENTICATED) -> str:
    error = who_refused(api, token)
    assert error.code() == code, error.details()
    signature = token.split(".")[-1]
    assert token not in error.details() and (not signature or signature not in error.details())
    return str(error.details())


def logged_in(rigd: Rigd, api: grpc.Channel, email: str) -> auth_pb.LoginResponse:
    make_user(rigd, email=email)
    return login(api, by_email(email))


def test_alg_none_is_refused(rigd: Rigd, api: grpc.Channel) -> None:
    genuine = logged_in(rigd, api, "none@tests.rigd").token.access_token
    forged = _unsigned({"alg": "none", "typ": "JWT"}, _claims(genuine)) + "."
    assert "accepts only HS512" in refused_as(api, forged)


def test_a_wrong_signature_is_refused(rigd: Rigd, api: grpc.Channel) -> None:
    genuine = logged_in(rigd, api, "forger@tests.rigd").token.access_token
    claims = {**_claims(genuine), "sub": "00000000-0000-0000-0000-000000000001"}
    forged = jwt.encode(claims, b"an attacker's own secret " * 4, algorithm="HS512")
    assert "signature" in refused_as(api, forged)
    tampered = genuine[:-4] + ("AAAA" if not genuine.endswith("AAAA") else "BBBB")
    refused_as(api, tampered)


def test_an_rs256_token_is_refused_by_an_hs512_rigd(rigd: Rigd, api: grpc.Channel) -> None:
    genuine = logged_in(rigd, api, "swap@tests.rigd").token.access_token
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(_claims(genuine), attacker, algorithm="RS256")
    assert "accepts only HS512" in refused_as(api, forged)


def test_an_hs256_token_signed_with_the_public_key_is_refused_by_an_rs256_rigd(tmp_path: Path) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp_path / "auth.pem"
    key_file.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    settings = replace(Settings(data_dir=tmp_path / "var", environments=()), auth_algorithm="RS256",
                       auth_private_key_file=str(key_file))
    rs_rigd = build(settings, announce=lambda line: None)
    rs_rigd.start()
    try:
        with checking(rs_rigd) as api:
            genuine = logged_in(rs_rigd, api, "rs@tests.rigd").token.access_token
            assert who(api, genuine).user_info.email == "rs@tests.rigd"
            public_pem = private.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            signing_input = _unsigned({"alg": "HS256", "typ": "JWT"}, _claims(genuine))
            mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
            assert "accepts only RS256" in refused_as(api, f"{signing_input}.{_b64(mac)}")
    finally:
        rs_rigd.close()


def test_an_expired_token_is_refused(rigd: Rigd, api: grpc.Channel) -> None:
    user_id = logged_in(rigd, api, "late@tests.rigd").user_id
    expired = rigd.access.tokens.mint(TokenKind.ACCESS, user_id, SubjectType.USER, timedelta(seconds=-30))
    assert "expired" in refused_as(api, expired)


def test_a_refresh_token_is_no_access_token(rigd: Rigd, api: grpc.Channel) -> None:
    token = logged_in(rigd, api, "mixup@tests.rigd").token
    assert "refresh token" in refused_as(api, token.refresh_token)
    wrong_way = refresh_refused(api, token.access_token)  # and an access token refreshes nothing
    assert wrong_way.code() == Code.UNAUTHENTICATED


def test_a_logged_out_session_is_refused(rigd: Rigd, api: grpc.Channel) -> None:
    token = logged_in(rigd, api, "out@tests.rigd").token
    call(api, "Logout", auth_pb.LogoutRequest(), auth_pb.LogoutResponse, bearer(token.access_token))
    assert "session invalidated" in refused_as(api, token.access_token)


def test_a_session_older_than_reset_sessions_is_refused(rigd: Rigd, api: grpc.Channel) -> None:
    response = logged_in(rigd, api, "older@tests.rigd")
    written = rigd.identity.users.update(CommandContext(), response.user_id, [UserUpdate("reset_sessions")])
    assert rigd.access.wait_for_view(written, WAIT)
    assert "session expired" in refused_as(api, response.token.access_token)


def test_a_deleted_users_token_is_refused(rigd: Rigd, api: grpc.Channel) -> None:
    response = logged_in(rigd, api, "deleted@tests.rigd")
    written = rigd.identity.users.delete(CommandContext(), response.user_id)
    assert rigd.access.wait_for_view(written, WAIT)
    assert "no longer exists" in refused_as(api, response.token.access_token)


def test_a_deleted_service_accounts_token_is_refused_also_after_its_ttl(rigd: Rigd, api: grpc.Channel) -> None:
    _, account, secret = rigd.identity.service_accounts.create(CommandContext(), "doomed")
    token = client_login(api, account.client_id, secret).token
    written = rigd.identity.service_accounts.delete(CommandContext(), account.service_account_id)
    assert rigd.access.wait_for_view(written, WAIT)
    assert "no longer exists" in refused_as(api, token.access_token)  # at once, not only after the TTL
    past_ttl = rigd.access.tokens.mint(TokenKind.ACCESS, account.service_account_id, SubjectType.SERVICE_ACCOUNT,
                                       timedelta(seconds=-1))
    refused_as(api, past_ttl)
    basic = "Basic " + base64.b64encode(f"{account.client_id}:{secret}".encode()).decode()
    with pytest.raises(grpc.RpcError) as raised:
        call(api, "Get", auth_pb.GetRequest(), auth_pb.GetResponse, basic)
    assert raised.value.code() == Code.UNAUTHENTICATED and secret not in raised.value.details()


def test_a_replayed_rotated_refresh_token_ends_the_session(rigd: Rigd, api: grpc.Channel) -> None:
    first = logged_in(rigd, api, "replay@tests.rigd").token
    second = refresh(api, first.refresh_token).token
    assert who(api, second.access_token).user_info.email == "replay@tests.rigd"
    replay = refresh_refused(api, first.refresh_token)
    assert replay.code() == Code.PERMISSION_DENIED and "already used" in replay.details()
    assert "session invalidated" in refused_as(api, second.access_token)
    assert refresh_refused(api, second.refresh_token).details() == "session invalidated"
