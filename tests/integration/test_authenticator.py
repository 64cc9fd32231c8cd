"""The authenticate half of the gate on both stores: Bearer access tokens and Basic
service-account credentials become the caller; anything else is refused without echoing it."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from rigd.adapters.tokens import TokenKind
from rigd.domain.context import CommandContext
from rigd.domain.errors import Unauthenticated
from rigd.domain.sessions import Session, SubjectType
from rigd.domain.user_commands import UserUpdate
from rigd.services.access import ANONYMOUS
from rigd.services.composition import Rigd
from rigd.services.rpcs import Rpc, all_rpcs

WAIT = 30.0
RPCS = {rpc.path: rpc for rpc in all_rpcs()}
PROJECT_GET = RPCS["/api.v1.project.Service/Get"]
LOGIN = RPCS["/api.v1.authentication.Service/Login"]


def make_user(rigd: Rigd, **fields: object) -> str:
    updates = [UserUpdate(name, value) for name, value in fields.items()]
    _, user_id = rigd.identity.users.create(CommandContext(), updates)
    return user_id


def access_token(rigd: Rigd, subject: str, subject_type: SubjectType = SubjectType.USER) -> tuple[str, str]:
    """(access token, session id) of a new session of `subject` (users only get a stored session)."""
    session_id = uuid.uuid4()
    if subject_type is SubjectType.USER:
        def decide() -> int:
            return rigd.store.record(Session.start(session_id, subject, "user_password",
                                                   datetime.now(UTC) + timedelta(days=7)))

        rigd.store.decide(CommandContext(), decide)
    token = rigd.access.tokens.mint(TokenKind.ACCESS, subject, subject_type, timedelta(hours=1), str(session_id))
    return token, str(session_id)


def authenticate(rigd: Rigd, header: str, rpc: Rpc = PROJECT_GET) -> object:
    return rigd.authenticator.authenticate(rpc, {"authorization": header} if header else {})


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def test_no_header_is_anonymous(rigd: Rigd) -> None:
    assert authenticate(rigd, "") == ANONYMOUS


def test_bearer_names_the_user_by_username_and_profile(rigd: Rigd) -> None:
    user_id = make_user(rigd, email="ada@example.com", username="ada")
    token, _ = access_token(rigd, user_id)
    actor = authenticate(rigd, f"Bearer {token}")
    assert (actor.identifier, actor.printable_name, actor.user_id) == ("ada", "ada", user_id)  # type: ignore[attr-defined]

    written = rigd.identity.users.update(CommandContext(), user_id, [UserUpdate("profile", ("Ada", "Lovelace"))])
    assert rigd.access.wait_for_view(written, WAIT)
    actor = authenticate(rigd, f"Bearer {token}")
    assert actor.printable_name == "Ada Lovelace"  # type: ignore[attr-defined]


def test_bearer_of_an_email_only_user_is_identified_by_email(rigd: Rigd) -> None:
    user_id = make_user(rigd, email="grace@example.com")
    token, _ = access_token(rigd, user_id)
    actor = authenticate(rigd, f"bearer {token}")  # the scheme is case-insensitive
    assert (actor.identifier, actor.printable_name) == ("grace@example.com", "grace@example.com")  # type: ignore[attr-defined]


def test_a_user_created_but_not_followed_yet_is_found_in_the_store(rigd: Rigd) -> None:
    rigd.access.session_follower.stop()  # the view lags: the cold path reads the store
    user_id = make_user(rigd, username="late")
    token, _ = access_token(rigd, user_id)
    assert authenticate(rigd, f"Bearer {token}").user_id == user_id  # type: ignore[attr-defined]


def test_bearer_of_a_deleted_user_is_refused(rigd: Rigd) -> None:
    user_id = make_user(rigd, username="gone")
    token, _ = access_token(rigd, user_id)
    written = rigd.identity.users.delete(CommandContext(), user_id)
    assert rigd.access.wait_for_view(written, WAIT)
    with pytest.raises(Unauthenticated, match="no longer exists"):
        authenticate(rigd, f"Bearer {token}")


def test_a_refresh_token_is_no_access_token(rigd: Rigd) -> None:
    user_id = make_user(rigd, username="refresher")
    token = rigd.access.tokens.mint(TokenKind.REFRESH, user_id, SubjectType.USER, timedelta(hours=1))
    with pytest.raises(Unauthenticated) as refused:
        authenticate(rigd, f"Bearer {token}")
    assert token not in refused.value.message


def test_basic_credentials_name_the_service_account(rigd: Rigd) -> None:
    _, account, secret = rigd.identity.service_accounts.create(CommandContext(), "ci")
    actor = authenticate(rigd, basic(account.client_id, secret))
    assert (actor.identifier, actor.printable_name, actor.service_account_id) == (  # type: ignore[attr-defined]
        account.client_id, "ci", account.service_account_id)
    again = authenticate(rigd, basic(account.client_id, secret))  # from the cache
    assert again == actor


def test_a_service_account_bearer_token_names_the_account(rigd: Rigd) -> None:
    _, account, _ = rigd.identity.service_accounts.create(CommandContext(), "deployer")
    token, _ = access_token(rigd, account.service_account_id, SubjectType.SERVICE_ACCOUNT)
    actor = authenticate(rigd, f"Bearer {token}")
    assert actor.service_account_id == account.service_account_id  # type: ignore[attr-defined]
    assert actor.printable_name == "deployer"  # type: ignore[attr-defined]


def test_basic_credentials_of_a_deleted_account_are_refused_though_cached(rigd: Rigd) -> None:
    _, account, secret = rigd.identity.service_accounts.create(CommandContext(), "short-lived")
    authenticate(rigd, basic(account.client_id, secret))  # now cached
    written = rigd.identity.service_accounts.delete(CommandContext(), account.service_account_id)
    assert rigd.access.wait_for_view(written, WAIT)
    with pytest.raises(Unauthenticated, match="wrong client credentials"):
        authenticate(rigd, basic(account.client_id, secret))


@pytest.mark.parametrize("header, message", [
    ("Token abc", "must be 'Bearer"),
    ("Bearer", "must be 'Bearer"),
    ("Basic !!!not-base64!!!", "base64 of 'client_id:client_secret'"),
    (basic("rig_x", "secret_y"), "invalid client-ID format"),
    ("Basic " + base64.b64encode(b"no-colon-secret_s3cr3t").decode(), "base64 of 'client_id:client_secret'"),
    ("Bearer not.a.jwt", "token"),
])
def test_malformed_credentials_are_refused_without_echo(rigd: Rigd, header: str, message: str) -> None:
    with pytest.raises(Unauthenticated, match=message) as refused:
        authenticate(rigd, header)
    credentials = header.partition(" ")[2]
    assert not credentials or credentials not in refused.value.message
    assert "s3cr3t" not in refused.value.message


def test_a_wrong_secret_is_refused_and_not_echoed(rigd: Rigd) -> None:
    _, account, secret = rigd.identity.service_accounts.create(CommandContext(), "ci")
    wrong = secret[:-4] + "0000" if not secret.endswith("0000") else secret[:-4] + "1111"
    with pytest.raises(Unauthenticated, match="wrong client credentials") as refused:
        authenticate(rigd, basic(account.client_id, wrong))
    assert wrong not in refused.value.message


def test_auth_free_rpcs_ignore_bad_credentials(rigd: Rigd) -> None:
    assert authenticate(rigd, "Bearer expired.or.junk", rpc=LOGIN) == ANONYMOUS


def test_a_token_verified_once_is_still_refused_once_it_expires(rigd: Rigd) -> None:
    import time

    user_id = make_user(rigd, username="brief")
    token = rigd.access.tokens.mint(TokenKind.ACCESS, user_id, SubjectType.USER, timedelta(seconds=2))
    expires = time.time() + 2
    assert authenticate(rigd, f"Bearer {token}").user_id == user_id  # type: ignore[attr-defined]
    time.sleep(max(0.0, expires + 1.0 - time.time()))  # its claims are remembered: its expiry still counts
    with pytest.raises(Unauthenticated, match="expired"):
        authenticate(rigd, f"Bearer {token}")
