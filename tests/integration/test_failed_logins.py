"""Failed logins over gRPC on both stores: the throttle engages after repeated wrong
passwords, then refuses a correct one too with RESOURCE_EXHAUSTED, and a restarted rigd
still refuses (the count lives in the failed-login events)."""

from __future__ import annotations

import grpc
import pytest

from rigd.domain.context import CommandContext
from rigd.domain.login_throttle import POLICY
from rigd.proto.api.v1.authentication import service_pb2 as auth_pb
from rigd.proto.api.v1.authentication import user_pb2 as auth_user
from rigd.services.composition import build
from rigd.services.config import Settings
from tests.logins import by_email, checking, client_login, login_request, make_user, refused

Code = grpc.StatusCode


def test_the_throttle_engages_refuses_a_correct_password_and_survives_a_restart(settings: Settings) -> None:
    first = build(settings, announce=lambda line: None)
    first.start()
    try:
        make_user(first, email="target@tests.rigd")
        with checking(first) as api:
            answers = [refused(api, "Login", login_request(by_email("target@tests.rigd"), "Guess-pa55!"),
                               auth_pb.LoginResponse) for _ in range(POLICY.lock_at)]
            assert {(a.code(), a.details()) for a in answers} == {(Code.UNAUTHENTICATED, "wrong password")}
            locked = refused(api, "Login", login_request(by_email("target@tests.rigd")), auth_pb.LoginResponse)
            assert locked.code() == Code.RESOURCE_EXHAUSTED and "too many failed logins" in locked.details()
    finally:
        first.close()

    again = build(settings, announce=lambda line: None)
    again.start()
    try:
        with checking(again) as api:
            still = refused(api, "Login", login_request(by_email("TARGET@tests.rigd")), auth_pb.LoginResponse)
            assert still.code() == Code.RESOURCE_EXHAUSTED  # the correct password, after a restart
            make_user(again, email="bystander@tests.rigd")  # another identifier is not throttled
            ok = refused(api, "Login", login_request(by_email("bystander@tests.rigd"), "Wrong-pa55!"),
                         auth_pb.LoginResponse)
            assert ok.code() == Code.UNAUTHENTICATED
    finally:
        again.close()


def test_client_credentials_are_throttled_too(settings: Settings) -> None:
    rigd = build(settings, announce=lambda line: None)
    rigd.start()
    try:
        _, account, secret = rigd.identity.service_accounts.create(CommandContext(), "ci")
        guess = auth_pb.LoginRequest(client_credentials=auth_user.ClientCredentials(
            client_id=account.client_id, client_secret="secret_" + "1" * 64))
        with checking(rigd) as api:
            for _ in range(POLICY.lock_at):
                assert refused(api, "Login", guess, auth_pb.LoginResponse).code() == Code.UNAUTHENTICATED
            with pytest.raises(grpc.RpcError) as locked:
                client_login(api, account.client_id, secret)
            assert locked.value.code() == Code.RESOURCE_EXHAUSTED
    finally:
        rigd.close()
