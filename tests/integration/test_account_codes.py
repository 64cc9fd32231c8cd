"""Email verification and password reset end to end on both stores: the code is mailed over
SMTP (aiosmtpd, with a login), read from the delivered message, and typed back with the JWT
`token` the send returned; wrong, expired and exhausted codes give rig-behavior 2.5's messages."""

from __future__ import annotations

import time
from collections.abc import Iterator

import grpc
import pytest

from rigd.domain.context import CommandContext
from rigd.domain.verification_codes import MAX_ATTEMPTS
from rigd.proto.api.v1.authentication import service_pb2 as auth_pb
from rigd.proto.api.v1.authentication import user_pb2 as auth_user
from rigd.services.composition import Rigd
from rigd.services.config import Settings
from tests.integration.test_email import Inbox
from tests.logins import (
    PASSWORD,
    bearer,
    by_email,
    call,
    checking,
    login,
    login_request,
    make_user,
    refused,
    who,
    who_refused,
)
from tests.mail import last_code, mailing_rigd, smtp_server

Code = grpc.StatusCode
# the test server wants a login over plain SMTP on 127.0.0.1; aiosmtpd warns about it each time
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
NEW_PASSWORD = "Brand-new-pa55!"


@pytest.fixture
def mailing(settings: Settings) -> Iterator[tuple[Rigd, grpc.Channel, Inbox]]:
    with smtp_server() as (inbox, port), mailing_rigd(settings, port) as rigd, checking(rigd) as channel:
        yield rigd, channel, inbox


def send_reset(api: grpc.Channel, email: str) -> str:
    return str(call(api, "SendPasswordReset", auth_pb.SendPasswordResetRequest(identifier=by_email(email)),
                    auth_pb.SendPasswordResetResponse).token)


def reset(api: grpc.Channel, token: str, code: str, password: str = NEW_PASSWORD) -> None:
    call(api, "ResetPassword", auth_pb.ResetPasswordRequest(token=token, code=code, new_password=password),
         auth_pb.ResetPasswordResponse)


def reset_refused(api: grpc.Channel, token: str, code: str) -> grpc.RpcError:
    return refused(api, "ResetPassword", auth_pb.ResetPasswordRequest(token=token, code=code,
                                                                      new_password=NEW_PASSWORD),
                   auth_pb.ResetPasswordResponse)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_email_verification_round_trip(mailing: tuple[Rigd, grpc.Channel, Inbox]) -> None:
    rigd, api, inbox = mailing
    user_id = make_user(rigd, email="verify@tests.rigd")
    access = login(api, by_email("verify@tests.rigd")).token.access_token
    token = call(api, "SendVerificationEmail", auth_pb.SendVerificationEmailRequest(
        identifier=by_email("verify@tests.rigd")), auth_pb.SendVerificationEmailResponse, bearer(access)).token
    code = last_code(inbox, "verify@tests.rigd")
    bad = refused(api, "VerifyEmail", auth_pb.VerifyEmailRequest(token=token, code=wrong(code)),
                  auth_pb.VerifyEmailResponse)
    assert (bad.code(), bad.details()) == (Code.INVALID_ARGUMENT, "invalid verification code")
    call(api, "VerifyEmail", auth_pb.VerifyEmailRequest(token=token, code=code, email="verify@tests.rigd"),
         auth_pb.VerifyEmailResponse)
    assert rigd.identity.users.load_live(user_id).is_email_verified
    used = refused(api, "VerifyEmail", auth_pb.VerifyEmailRequest(token=token, code=code), auth_pb.VerifyEmailResponse)
    assert (used.code(), used.details()) == (Code.INVALID_ARGUMENT, "invalid verification code")


def test_an_unverified_login_mails_a_code_when_verification_is_required(
    mailing: tuple[Rigd, grpc.Channel, Inbox],
) -> None:
    rigd, api, inbox = mailing
    make_user(rigd, email="required@tests.rigd")
    rigd.identity.user_settings.update(CommandContext(), [("is_verified_email_required", True)])
    answer = refused(api, "Login", login_request(by_email("required@tests.rigd")), auth_pb.LoginResponse)
    assert (answer.code(), answer.details()) == (Code.FAILED_PRECONDITION, "email is not verified")
    assert last_code(inbox, "required@tests.rigd")


def test_password_reset_round_trip_ends_older_sessions(mailing: tuple[Rigd, grpc.Channel, Inbox]) -> None:
    rigd, api, inbox = mailing
    make_user(rigd, email="forgetful@tests.rigd")
    before = login(api, by_email("forgetful@tests.rigd")).token.access_token
    token = send_reset(api, "forgetful@tests.rigd")
    code = last_code(inbox, "forgetful@tests.rigd")
    assert reset_refused(api, token, wrong(code)).details() == "invalid verification code"
    weak = refused(api, "ResetPassword", auth_pb.ResetPasswordRequest(token=token, code=code, new_password="weak"),
                   auth_pb.ResetPasswordResponse)
    assert weak.code() == Code.INVALID_ARGUMENT and "password" in weak.details()
    reset(api, token, code)
    assert "session expired" in who_refused(api, before).details()
    old = refused(api, "Login", login_request(by_email("forgetful@tests.rigd"), PASSWORD), auth_pb.LoginResponse)
    assert old.details() == "wrong password"
    assert who(api, login(api, by_email("forgetful@tests.rigd"), NEW_PASSWORD).token.access_token).user_id


def test_an_exhausted_code_is_refused_even_when_right(mailing: tuple[Rigd, grpc.Channel, Inbox]) -> None:
    rigd, api, inbox = mailing
    make_user(rigd, email="guesser@tests.rigd")
    token = send_reset(api, "guesser@tests.rigd")
    code = last_code(inbox, "guesser@tests.rigd")
    answers = [reset_refused(api, token, wrong(code)).details() for _ in range(MAX_ATTEMPTS)]
    assert answers[:-1] == ["invalid verification code"] * (MAX_ATTEMPTS - 1)
    assert answers[-1].startswith("invalid verification code: ") and "request a new code" in answers[-1]
    exhausted = reset_refused(api, token, code)
    assert exhausted.code() == Code.INVALID_ARGUMENT and "request a new code" in exhausted.details()
    token = send_reset(api, "guesser@tests.rigd")  # a new code replaces the exhausted one
    fresh = last_code(inbox, "guesser@tests.rigd")
    reset(api, token, fresh)


def test_an_expired_code_is_refused(mailing: tuple[Rigd, grpc.Channel, Inbox]) -> None:
    rigd, api, inbox = mailing
    make_user(rigd, email="slow@tests.rigd")
    rigd.identity.user_settings.update(CommandContext(), [("verification_code_ttl", 1)])
    token = send_reset(api, "slow@tests.rigd")
    sent = time.time()
    code = last_code(inbox, "slow@tests.rigd")
    time.sleep(max(0.0, sent + 1.5 - time.time()))  # the code lives one second: no event marks its end
    answer = reset_refused(api, token, code)
    assert (answer.code(), answer.details()) == (Code.INVALID_ARGUMENT, "verification code expired")


def test_a_token_of_one_purpose_is_refused_for_the_other(mailing: tuple[Rigd, grpc.Channel, Inbox]) -> None:
    rigd, api, inbox = mailing
    make_user(rigd, email="mixed@tests.rigd")
    token = send_reset(api, "mixed@tests.rigd")
    code = last_code(inbox, "mixed@tests.rigd")
    answer = refused(api, "VerifyEmail", auth_pb.VerifyEmailRequest(token=token, code=code),
                     auth_pb.VerifyEmailResponse)
    assert answer.code() == Code.UNAUTHENTICATED and token not in answer.details()


def test_without_a_mail_server_codes_cannot_be_sent(rigd: Rigd) -> None:
    make_user(rigd, email="nomail@tests.rigd")
    with checking(rigd) as api:
        answer = refused(api, "SendPasswordReset", auth_pb.SendPasswordResetRequest(
            identifier=by_email("nomail@tests.rigd")), auth_pb.SendPasswordResetResponse)
    assert answer.code() == Code.FAILED_PRECONDITION and "smtp_host" in answer.details()


def test_a_registered_user_is_welcomed_by_mail(mailing: tuple[Rigd, grpc.Channel, Inbox]) -> None:
    rigd, api, inbox = mailing
    rigd.identity.user_settings.update(CommandContext(), [("allow_register", True)])
    request = auth_pb.RegisterRequest(user_password=auth_user.UserPassword(
        identifier=by_email("newcomer@tests.rigd"), password=PASSWORD))
    call(api, "Register", request, auth_pb.RegisterResponse)
    welcome = [message for message in inbox.messages if message["To"] == "newcomer@tests.rigd"]
    assert len(welcome) == 1 and welcome[0]["Subject"] == "Welcome to Rig"
