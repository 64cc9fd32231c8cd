"""Tests that need PostgreSQL fail under CI and skip elsewhere, saying where they looked (never the password)."""

import socket

import pytest

from tests.conftest import POSTGRES_ADMIN_URL, postgres_problem, require_postgres, without_password


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again once the probe is


def test_unreachable_postgres_fails_under_ci_naming_the_url_without_its_password() -> None:
    url = f"postgresql://rigd:hunter2@127.0.0.1:{_closed_port()}/postgres"
    with pytest.raises(pytest.fail.Exception) as raised:
        require_postgres(url, environ={"CI": "true"})
    message = str(raised.value)
    assert f"postgresql://rigd@{url.split('@')[1]}" in message
    assert "hunter2" not in message


@pytest.mark.parametrize("environ", [{}, {"CI": "false"}, {"CI": ""}])
def test_unreachable_postgres_skips_elsewhere_with_a_clear_reason(environ: dict[str, str]) -> None:
    url = f"postgresql://rigd:hunter2@127.0.0.1:{_closed_port()}/postgres"
    with pytest.raises(pytest.skip.Exception) as raised:
        require_postgres(url, environ=environ)
    message = str(raised.value)
    assert "PostgreSQL is not reachable at postgresql://rigd@127.0.0.1:" in message
    assert "RIGD_TEST_POSTGRES" in message
    assert "hunter2" not in message


@pytest.mark.postgres
def test_reachable_postgres_is_used_even_under_ci() -> None:
    require_postgres(POSTGRES_ADMIN_URL, environ={"CI": "true"})
    assert postgres_problem(POSTGRES_ADMIN_URL) == ""


def test_a_url_is_shown_without_its_password() -> None:
    assert without_password("postgresql://u:p@db:5433/x") == "postgresql://u@db:5433/x"
    assert without_password("postgresql://u@db/x") == "postgresql://u@db/x"
