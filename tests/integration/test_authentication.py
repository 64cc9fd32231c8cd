"""authentication.Service over gRPC on both stores, behind the real authenticator: logins,
the codes and messages clients string-match (rig-behavior 2.1-2.6, A.1), refresh rotation,
logout, registration, the caller's own account, and user.Service/ListSessions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import grpc
import pytest

from rigd.adapters.passwords import imported_bcrypt
from rigd.domain.context import CommandContext
from rigd.domain.user_commands import UserUpdate
from rigd.domain.user_settings import LOGIN_EMAIL_PASSWORD, LOGIN_USERNAME_PASSWORD
from rigd.proto.api.v1.authentication import service_pb2 as auth_pb
from rigd.proto.api.v1.authentication import user_pb2 as auth_user
from rigd.proto.api.v1.project import service_pb2 as project_pb
from rigd.proto.api.v1.user import service_pb2 as user_pb
from rigd.proto.model import user_pb2 as model_user
from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from tests.logins import (
    PASSWORD,
    WAIT,
    bearer,
    by_email,
    call,
    checking,
    client_login,
    login,
    login_request,
    make_user,
    refresh,
    refresh_refused,
    refused,
    who,
    who_refused,
)

Code = grpc.StatusCode


@pytest.fixture
def api(rigd: Rigd) -> Iterator[grpc.Channel]:
    with checking(rigd) as channel:
        yield channel


def test_login_by_email_or_username_gives_tokens_that_authenticate(rigd: Rigd, api: grpc.Channel) -> None:
    user_id = make_user(rigd, email="ada@tests.rigd", username="ada")
    by_mail = login(api, by_email("ada@tests.rigd"))
    assert (by_mail.user_id, by_mail.user_info.email, by_mail.user_info.username) == (
        user_id, "ada@tests.rigd", "ada")
    by_name = login(api, model_user.UserIdentifier(username="ada"))
    assert who(api, by_name.token.access_token).user_id == user_id
    assert who(api, by_mail.token.access_token).user_info.email == "ada@tests.rigd"


def test_login_errors_are_the_ones_the_cli_matches(rigd: Rigd, api: grpc.Channel) -> None:
    make_user(rigd, email="grace@tests.rigd")
    unknown = refused(api, "Login", login_request(by_email("nobody@tests.rigd")), auth_pb.LoginResponse)
    assert (unknown.code(), unknown.details()) == (Code.NOT_FOUND, "user not found")
    wrong = refused(api, "Login", login_request(by_email("grace@tests.rigd"), "Wrong-pa55!"), auth_pb.LoginResponse)
    assert (wrong.code(), wrong.details()) == (Code.UNAUTHENTICATED, "wrong password")
    empty = refused(api, "Login", auth_pb.LoginRequest(), auth_pb.LoginResponse)
    assert empty.code() == Code.INVALID_ARGUMENT


def test_calls_without_credentials_are_unauthenticated_but_get_auth_config_is_open(api: grpc.Channel) -> None:
    denied = refused(api, "/api.v1.project.Service/List", project_pb.ListRequest(), project_pb.ListResponse)
    assert denied.code() == Code.UNAUTHENTICATED
    config = call(api, "GetAuthConfig", auth_pb.GetAuthConfigRequest(), auth_pb.GetAuthConfigResponse)
    assert config.validate_password and not config.allows_register
    assert list(config.login_types) == [LOGIN_EMAIL_PASSWORD, LOGIN_USERNAME_PASSWORD]


def test_refresh_gives_a_new_pair_every_time_and_a_replay_ends_the_session(rigd: Rigd, api: grpc.Channel) -> None:
    make_user(rigd, email="rotating@tests.rigd")
    first = login(api, by_email("rotating@tests.rigd")).token
    second = refresh(api, first.refresh_token).token
    third = refresh(api, second.refresh_token).token
    assert len({first.refresh_token, second.refresh_token, third.refresh_token}) == 3
    assert len({first.access_token, second.access_token, third.access_token}) == 3
    assert who(api, third.access_token).user_id

    replay = refresh_refused(api, first.refresh_token)  # a rotated token, presented again
    assert replay.code() == Code.PERMISSION_DENIED and replay.details().startswith("session invalidated")
    ended = refresh_refused(api, third.refresh_token)  # the session ended for its holder too
    assert (ended.code(), ended.details()) == (Code.PERMISSION_DENIED, "session invalidated")
    assert who_refused(api, third.access_token).code() == Code.UNAUTHENTICATED  # at once, on this replica


def test_logout_refuses_the_session_at_once(rigd: Rigd, api: grpc.Channel) -> None:
    make_user(rigd, email="leaving@tests.rigd")
    token = login(api, by_email("leaving@tests.rigd")).token
    other = login(api, by_email("leaving@tests.rigd")).token
    call(api, "Logout", auth_pb.LogoutRequest(), auth_pb.LogoutResponse, bearer(token.access_token))
    gone = who_refused(api, token.access_token)
    assert gone.code() == Code.UNAUTHENTICATED and "session invalidated" in gone.details()
    assert token.access_token not in gone.details()
    assert (refresh_refused(api, token.refresh_token).details()) == "session invalidated"
    assert who(api, other.access_token).user_info.email == "leaving@tests.rigd"  # another session lives


def test_reset_sessions_ends_older_sessions_only(rigd: Rigd, api: grpc.Channel) -> None:
    user_id = make_user(rigd, email="reset@tests.rigd")
    old = login(api, by_email("reset@tests.rigd")).token
    written = rigd.identity.users.update(CommandContext(), user_id, [UserUpdate("reset_sessions")])
    assert rigd.access.wait_for_view(written, WAIT)
    assert "session expired" in who_refused(api, old.access_token).details()
    assert (refresh_refused(api, old.refresh_token).code(), refresh_refused(api, old.refresh_token).details()) == (
        Code.PERMISSION_DENIED, "session expired")
    fresh = login(api, by_email("reset@tests.rigd")).token
    assert who(api, fresh.access_token).user_id == user_id


def test_register_is_gated_by_allow_register(rigd: Rigd, api: grpc.Channel) -> None:
    request = auth_pb.RegisterRequest(user_password=auth_user.UserPassword(
        identifier=by_email("new@tests.rigd"), password=PASSWORD))
    closed = refused(api, "Register", request, auth_pb.RegisterResponse)
    assert closed.code() == Code.UNAUTHENTICATED and "allow_register" in closed.details()
    rigd.identity.user_settings.update(CommandContext(), [("allow_register", True)])
    registered = call(api, "Register", request, auth_pb.RegisterResponse)
    assert registered.user_info.email == "new@tests.rigd"
    assert who(api, registered.token.access_token).user_id == registered.user_id
    weak = auth_pb.RegisterRequest(user_password=auth_user.UserPassword(
        identifier=by_email("weak@tests.rigd"), password="short"))
    assert refused(api, "Register", weak, auth_pb.RegisterResponse).code() == Code.INVALID_ARGUMENT


def test_verified_email_required_refuses_an_unverified_login(rigd: Rigd, api: grpc.Channel) -> None:
    make_user(rigd, email="unverified@tests.rigd")
    make_user(rigd, email="verified@tests.rigd", verified=True)
    rigd.identity.user_settings.update(CommandContext(), [("is_verified_email_required", True)])
    unverified = refused(api, "Login", login_request(by_email("unverified@tests.rigd")), auth_pb.LoginResponse)
    assert (unverified.code(), unverified.details()) == (Code.FAILED_PRECONDITION, "email is not verified")
    assert login(api, by_email("verified@tests.rigd")).token.access_token


def test_delete_deletes_the_caller_and_its_tokens_die(rigd: Rigd, api: grpc.Channel) -> None:
    user_id = make_user(rigd, email="quitter@tests.rigd")
    token = login(api, by_email("quitter@tests.rigd")).token
    call(api, "Delete", auth_pb.DeleteRequest(), auth_pb.DeleteResponse, bearer(token.access_token))
    assert "no longer exists" in who_refused(api, token.access_token).details()
    assert refused(api, "Login", login_request(by_email("quitter@tests.rigd")),
                   auth_pb.LoginResponse).code() == Code.NOT_FOUND
    assert refresh_refused(api, token.refresh_token).code() == Code.UNAUTHENTICATED
    with pytest.raises(Exception, match="not found"):
        rigd.identity.users.load_live(user_id)


def test_a_service_account_logs_in_with_client_credentials(rigd: Rigd, api: grpc.Channel) -> None:
    _, account, secret = rigd.identity.service_accounts.create(CommandContext(), "ci", "admin")
    response = client_login(api, account.client_id, secret)
    assert response.user_id == "" and response.token.access_token
    projects = call(api, "/api.v1.project.Service/List", project_pb.ListRequest(), project_pb.ListResponse,
                    bearer(response.token.access_token))
    assert projects.total == 0
    renewed = refresh(api, response.token.refresh_token).token
    assert renewed.access_token != response.token.access_token
    wrong = refused(api, "Login", auth_pb.LoginRequest(client_credentials=auth_user.ClientCredentials(
        client_id=account.client_id, client_secret="secret_" + "0" * 64)), auth_pb.LoginResponse)
    assert wrong.code() == Code.UNAUTHENTICATED
    malformed = refused(api, "Login", auth_pb.LoginRequest(client_credentials=auth_user.ClientCredentials(
        client_id="not-a-client", client_secret=secret)), auth_pb.LoginResponse)
    assert (malformed.code(), malformed.details()) == (Code.INVALID_ARGUMENT, "invalid client-ID format")

    written = rigd.identity.service_accounts.delete(CommandContext(), account.service_account_id)
    assert rigd.access.wait_for_view(written, WAIT)
    assert who_refused(api, response.token.access_token).code() == Code.UNAUTHENTICATED
    assert refresh_refused(api, renewed.refresh_token).code() == Code.UNAUTHENTICATED


def test_an_imported_bcrypt_hash_is_upgraded_to_argon2id_at_login(rigd: Rigd, api: grpc.Channel) -> None:
    import bcrypt

    hashed = imported_bcrypt(bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)))
    _, user_id = rigd.identity.users.create(
        CommandContext(), [UserUpdate("email", "imported@tests.rigd"), UserUpdate("hashed_password", hashed)])
    assert not rigd.identity.users.password_hash(user_id).startswith("$argon2id$")
    assert login(api, by_email("imported@tests.rigd")).user_id == user_id
    assert rigd.identity.users.password_hash(user_id).startswith("$argon2id$")
    assert login(api, by_email("imported@tests.rigd")).user_id == user_id


def test_list_sessions_shows_the_users_logins(rigd: Rigd, api: grpc.Channel) -> None:
    user_id = make_user(rigd, email="sessions@tests.rigd")
    first = login(api, by_email("sessions@tests.rigd")).token
    login(api, model_user.UserIdentifier(email="sessions@tests.rigd"))
    call(api, "Logout", auth_pb.LogoutRequest(), auth_pb.LogoutResponse, bearer(first.access_token))
    admin = login(api, by_email("sessions@tests.rigd")).token.access_token
    listed = _sessions_settled(rigd, api, user_id, admin)
    assert listed.total == 3
    assert [entry.session.is_invalidated for entry in listed.sessions] == [True, False, False]
    assert all(entry.session.auth_method.login_type == LOGIN_EMAIL_PASSWORD for entry in listed.sessions)
    assert listed.sessions[0].session.HasField("invalidated_at")


def _sessions_settled(rigd: Rigd, api: grpc.Channel, user_id: str, token: str) -> user_pb.ListSessionsResponse:
    assert rigd.wait_for(rigd.store.max_notification_id(), ("sessions",))
    return call(api, "/api.v1.user.Service/ListSessions", user_pb.ListSessionsRequest(user_id=user_id),
                user_pb.ListSessionsResponse, bearer(token))


def test_verify_phone_number_is_not_supported(rigd: Rigd, api: grpc.Channel) -> None:
    make_user(rigd, email="phone@tests.rigd")
    token = login(api, by_email("phone@tests.rigd")).token.access_token
    answer = refused(api, "VerifyPhoneNumber", auth_pb.VerifyPhoneNumberRequest(code="123456"),
                     auth_pb.VerifyPhoneNumberResponse, bearer(token))
    assert answer.code() == Code.FAILED_PRECONDITION and "not supported" in answer.details()


@pytest.mark.postgres
def test_a_logout_on_one_replica_is_refused_by_another(postgres_url: str, tmp_path: Path) -> None:
    from tests.conftest import TEST_AUTH_SECRET, TEST_SECRET_KEY

    base = Settings(database_url=postgres_url, secret_key=TEST_SECRET_KEY, auth_secret=TEST_AUTH_SECRET,
                    environments=())
    one = build(replace(base, data_dir=tmp_path / "one"), announce=lambda line: None)
    other = build(replace(base, data_dir=tmp_path / "two"), announce=lambda line: None)
    try:
        one.start()
        other.start()
        make_user(one, email="roaming@tests.rigd")
        with checking(one) as first, checking(other) as second:
            token = login(first, by_email("roaming@tests.rigd")).token
            assert other.access.wait_for_view(one.store.max_notification_id(), WAIT)
            assert who(second, token.access_token).user_info.email == "roaming@tests.rigd"  # shared secret
            call(first, "Logout", auth_pb.LogoutRequest(), auth_pb.LogoutResponse, bearer(token.access_token))
            assert other.access.wait_for_view(one.store.max_notification_id(), WAIT)
            assert "session invalidated" in who_refused(second, token.access_token).details()
    finally:
        one.close()
        other.close()
