"""The access matrix: every one of the 85 RPCs, called over gRPC with an empty request as
admin, owner, developer, viewer, a user with no role, a service account in `developer`, and
unauthenticated, on both stores; each outcome is what the reference's role tables say.

Expected outcomes come from the reference text, not from rigd's code: the auth-free RPCs
of rig-behavior 1.2 (below) and the documented capability matrix (rig-behavior 3.2-3.4,
transcribed in tests/unit/test_rbac.py as the least built-in role each RPC needs)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import grpc
import psycopg
import pytest

from rigd.services.composition import Rigd, build
from rigd.services.config import Settings
from rigd.services.rpcs import Rpc, all_rpcs
from tests.conftest import POSTGRES_ADMIN_URL, STORES, TEST_AUTH_SECRET, TEST_SECRET_KEY, require_postgres, serving
from tests.principals import TEST_PASSWORD, login_authorization, service_account, user
from tests.unit.test_rbac import ROLES, least_role

# rig-behavior 1.2: the SDK omits the Authorization header for these (OauthCallback is not an RPC of v1.8.10).
AUTH_FREE = {f"/api.v1.authentication.Service/{name}" for name in (
    "Login", "Register", "VerifyEmail", "RefreshToken", "SendPasswordReset", "ResetPassword", "GetAuthConfig")}
# Calls that end the caller's session (Logout, with a session of its own) or the caller itself go last.
LOGOUT = "/api.v1.authentication.Service/Logout"
ENDING = (LOGOUT, "/api.v1.authentication.Service/Delete")
AUTH_FAILURES = {grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED}
BROKEN = {grpc.StatusCode.UNKNOWN, grpc.StatusCode.INTERNAL}
RPCS = {rpc.path: rpc for rpc in all_rpcs()}
ADMIN_EMAIL = "matrix-admin@tests.rigd"
UNAUTHENTICATED = "unauthenticated"


@dataclass(frozen=True)
class Principal:
    name: str
    role: str  # the built-in role it holds through its group ("" for none)
    authorization: str | None  # the Authorization header it sends (None: none)
    # a second Authorization for Logout (users: another session)
    ending_authorization: str | None = None


@pytest.fixture(scope="module", params=STORES)
def matrix_rigd(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rigd]:
    """One rigd per store for the whole matrix, its first admin's password configured."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("matrix") / "var", environments=(), read_timeout=10.0,
                        admin_email=ADMIN_EMAIL, admin_password=TEST_PASSWORD)
    database = ""
    if request.param == "postgres":
        require_postgres()
        database = f"rigd_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        url = urlunsplit(urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/{database}"))
        settings = replace(settings, database_url=url, secret_key=TEST_SECRET_KEY, auth_secret=TEST_AUTH_SECRET)
    rigd = build(settings)
    rigd.start()
    try:
        yield rigd
    finally:
        rigd.close()
        if database:
            with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def principals(rigd: Rigd, channel: grpc.Channel) -> list[Principal]:
    """The seven callers of the matrix, created once."""
    admin_id = rigd.identity.users.find_user_id("email", ADMIN_EMAIL)
    found = [Principal("admin", "admin", *(login_authorization(channel, ADMIN_EMAIL) for _ in range(2)))]
    for role in ("owner", "developer", "viewer", ""):
        _, email = user(rigd, role)
        found.append(Principal(role or "no role", role, *(login_authorization(channel, email) for _ in range(2))))
    account = service_account(rigd, "developer").authorization
    found.append(Principal("service account in developer", "developer", account, account))
    found.append(Principal(UNAUTHENTICATED, "", None, None))
    assert admin_id
    return found


def allowed(principal: Principal, path: str) -> bool:
    """Whether the reference lets `principal` call `path` (auth-free RPCs aside)."""
    if principal.authorization is None:
        return False
    least = least_role()[path]
    return not least or (bool(principal.role) and ROLES.index(principal.role) >= ROLES.index(least))


def call(channel: grpc.Channel, rpc: Rpc, authorization: str | None) -> tuple[grpc.StatusCode, str]:
    """The status of `rpc` called with an empty request (one message for client streams)."""
    metadata = (("authorization", authorization),) if authorization else None
    serialize, deserialize = rpc.request_class.SerializeToString, rpc.response_class.FromString
    request = rpc.request_class()
    try:
        if rpc.client_streams:
            responses = channel.stream_stream(rpc.path, serialize, deserialize)(
                iter([request]), metadata=metadata, timeout=30)
            list(responses)
        elif rpc.server_streams:
            list(channel.unary_stream(rpc.path, serialize, deserialize)(request, metadata=metadata, timeout=30))
        else:
            channel.unary_unary(rpc.path, serialize, deserialize)(request, metadata=metadata, timeout=30)
    except grpc.RpcError as error:
        return error.code(), error.details() or ""
    return grpc.StatusCode.OK, ""


def test_every_rpc_as_every_kind_of_caller_matches_the_role_tables(matrix_rigd: Rigd, tmp_path: Path) -> None:
    with serving(matrix_rigd, authorization=None) as channel:
        callers = principals(matrix_rigd, channel)
        assert len(callers) == 7
        order = [path for path in sorted(RPCS) if path not in ENDING] + list(ENDING)
        outcomes: dict[tuple[str, str], tuple[grpc.StatusCode, str]] = {}
        for path in order:
            for principal in callers:
                authorization = principal.ending_authorization if path == LOGOUT else principal.authorization
                outcomes[principal.name, path] = call(channel, RPCS[path], authorization)

    wrong = []
    for (name, path), (code, details) in outcomes.items():
        principal = next(p for p in callers if p.name == name)
        if code in BROKEN:
            wrong.append(f"{name} {path}: {code.name} {details}")
        elif path in AUTH_FREE:  # its own answer, whoever asks (the caller is not even looked at)
            if code in AUTH_FAILURES and "credentials" in details:
                wrong.append(f"{name} {path}: {code.name} {details} (auth-free)")
            if code != outcomes[UNAUTHENTICATED, path][0]:
                wrong.append(f"{name} {path}: {code.name}, unauthenticated got {outcomes[UNAUTHENTICATED, path][0]}")
        elif principal.authorization is None:
            if code != grpc.StatusCode.UNAUTHENTICATED:
                wrong.append(f"{name} {path}: {code.name}, expected UNAUTHENTICATED")
        elif allowed(principal, path):
            if code in AUTH_FAILURES:
                wrong.append(f"{name} {path}: {code.name} {details}, expected allowed")
        elif code != grpc.StatusCode.PERMISSION_DENIED or "permission denied: missing" not in details:
            wrong.append(f"{name} {path}: {code.name} {details}, expected PERMISSION_DENIED")
    assert wrong == []

    # An allowed call of an RPC with a permission answers alike for every caller allowed it
    # (UNIMPLEMENTED for one not implemented yet, else the servicer's own answer).
    for path in RPCS:
        if not least_role()[path]:
            continue
        codes = {outcomes[p.name, path][0] for p in callers if allowed(p, path)}
        assert len(codes) == 1, (path, codes)
    assert outcomes["viewer", "/api.v1.capsule.Service/Deploy"][0] == grpc.StatusCode.PERMISSION_DENIED
    assert "capsule:deploy" in outcomes["viewer", "/api.v1.capsule.Service/Deploy"][1]
    # allowed, and answered by the servicer (the request names no capsule)
    assert outcomes["developer", "/api.v1.capsule.Service/Deploy"][0] == grpc.StatusCode.INVALID_ARGUMENT
    assert outcomes["admin", "/api.v1.project.Service/List"][0] == grpc.StatusCode.OK
