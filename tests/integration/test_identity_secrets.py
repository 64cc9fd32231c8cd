"""The first admin, and secrets: none planted appears in clear in any stored event or log."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from dataclasses import replace
from typing import Any

import psycopg
import pytest

from rigd.proto.api.v1.service_account import service_pb2 as sa_pb
from rigd.proto.api.v1.service_account import service_pb2_grpc as sa_grpc
from rigd.proto.api.v1.user import service_pb2 as user_pb
from rigd.proto.api.v1.user import service_pb2_grpc as user_grpc
from rigd.proto.api.v1.user import user_pb2
from rigd.proto.api.v1.user.settings import service_pb2 as settings_pb
from rigd.proto.api.v1.user.settings import service_pb2_grpc as settings_grpc
from rigd.proto.api.v1.user.settings import settings_pb2
from rigd.services.composition import Rigd, build, events_path
from rigd.services.config import Settings
from tests.conftest import serving


def _stored_events(rigd: Rigd) -> bytes:
    """Every stored event's topic and state, as the database holds them."""
    if rigd.settings.uses_postgres:
        with psycopg.connect(rigd.settings.database_url) as connection:
            rows: list[Any] = connection.execute("SELECT topic, state FROM rigd_events").fetchall()
    else:
        with closing(sqlite3.connect(events_path(rigd.settings))) as connection:
            rows = connection.execute("SELECT topic, state FROM stored_events").fetchall()
    return b"\n".join(str(topic).encode() + b" " + bytes(state) for topic, state in rows)


def test_no_planted_secret_is_stored_or_logged_in_clear(
    settings: Settings, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    shown: list[str] = []
    rigd = build(settings, announce=shown.append)
    rigd.start()
    try:
        generated = shown[0].rpartition(" password: ")[2]
        assert shown == [f"admin user: admin@rigd.local password: {generated}"]
        with serving(rigd) as channel:
            user_grpc.ServiceStub(channel).Create(user_pb.CreateRequest(initializers=[
                user_pb2.Update(email="p@example.com"), user_pb2.Update(password="planted-pa55word")]))
            account = sa_grpc.ServiceStub(channel).Create(sa_pb.CreateRequest(name="ci"))
            settings_grpc.ServiceStub(channel).UpdateSettings(settings_pb.UpdateSettingsRequest(settings=[
                settings_pb2.Update(email_provider=settings_pb2.EmailProvider(
                    credentials={"public_key": "mailer", "private_key": "planted-smtp-secret"},
                    instance=settings_pb2.EmailInstance(smtp=settings_pb2.SmtpInstance(host="localhost", port=25))))]))
        stored = _stored_events(rigd)
        assert b"user.PasswordSet" in stored and b"service-account.Created" in stored
        logs = caplog.text + capfd.readouterr().err
        for secret in (generated, "planted-pa55word", account.client_secret, "planted-smtp-secret"):
            assert secret.encode() not in stored, secret
            assert secret not in logs, secret
        # a second start finds the admin: no new password is made or shown
        rigd.close()
        again = build(settings, announce=shown.append)
        again.close()
        assert len(shown) == 1
    finally:
        rigd.close()


def test_a_configured_admin_password_is_used_and_never_shown(settings: Settings) -> None:
    shown: list[str] = []
    rigd = build(replace(settings, admin_email="root@example.com", admin_password="configured-pa55"),
                 announce=shown.append)
    try:
        assert shown == []
        users = rigd.identity.users
        admin_id = users.find_user_id("email", "root@example.com")
        assert users.check_password(admin_id, "configured-pa55") == (True, False)
    finally:
        rigd.close()


@pytest.mark.postgres
def test_replicas_starting_together_make_one_admin(postgres_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from tests.conftest import TEST_AUTH_SECRET, TEST_SECRET_KEY
    shown: list[str] = []
    base = Settings(database_url=postgres_url, secret_key=TEST_SECRET_KEY, auth_secret=TEST_AUTH_SECRET,
                    environments=())

    def start(index: int) -> Rigd:
        return build(replace(base, data_dir=base.data_dir / f"r{index}"), announce=shown.append)

    with ThreadPoolExecutor(max_workers=3) as pool:
        replicas = list(pool.map(start, range(3)))
    try:
        assert len(shown) == 1
        replicas[0].start()
        assert replicas[0].wait_for(replicas[0].store.max_notification_id(), ["users", "groups"])
        assert replicas[0].identity.user_queries.count() == 1
        assert replicas[0].identity.group_queries.get("admin").num_members == 1
    finally:
        for replica in replicas:
            replica.close()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_no_token_secret_code_or_smtp_password_is_stored_or_logged(
    settings: Settings, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """Logins, refreshes, codes mailed over SMTP and typed back: the auth secret, the tokens,
    the codes and the SMTP password appear in no stored event and no log line."""
    from rigd.proto.api.v1.authentication import service_pb2 as auth_pb
    from tests.conftest import TEST_AUTH_SECRET
    from tests.logins import PASSWORD, by_email, call, checking, login, make_user, refresh
    from tests.mail import SMTP_PASSWORD, last_code, mailing_rigd, smtp_server

    caplog.set_level(logging.DEBUG)
    planted: list[str] = [TEST_AUTH_SECRET, SMTP_PASSWORD, PASSWORD]
    with smtp_server() as (inbox, port), mailing_rigd(replace(settings, auth_secret=TEST_AUTH_SECRET), port) as rigd:
        make_user(rigd, email="secretive@tests.rigd")
        with checking(rigd) as api:
            pair = login(api, by_email("secretive@tests.rigd")).token
            renewed = refresh(api, pair.refresh_token).token
            token = call(api, "SendPasswordReset", auth_pb.SendPasswordResetRequest(
                identifier=by_email("secretive@tests.rigd")), auth_pb.SendPasswordResetResponse).token
            code = last_code(inbox, "secretive@tests.rigd")
            call(api, "ResetPassword", auth_pb.ResetPasswordRequest(token=token, code=code,
                                                                     new_password="Other-pa55word!"),
                 auth_pb.ResetPasswordResponse)
        stored = _stored_events(rigd)
    assert b"verification-code.Issued" in stored and b"session.Renewed" in stored
    planted += [pair.access_token, pair.refresh_token, renewed.access_token, renewed.refresh_token, token,
                "Other-pa55word!"]
    logs = caplog.text + capfd.readouterr().err
    for secret in planted:
        assert secret.encode() not in stored, secret[:12]
        assert secret not in logs, secret[:12]
    # the code: six digits may occur by chance in a long log, so look for it next to its words
    assert f"code {code}" not in logs and f'"{code}"' not in logs and f"code={code}" not in logs
    assert f'"{code}"'.encode() not in stored and f"code {code}".encode() not in stored
