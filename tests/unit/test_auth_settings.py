"""Settings of tokens and mail: parsed, checked with one line naming the setting, secrets never shown."""

from dataclasses import replace
from pathlib import Path

import pytest

from rigd.services.config import ConfigError, Settings, load_settings, settings_from
from rigd.services.identity_parts import mailer, token_signing_keys

AUTH_SECRET = "a-long-shared-secret-for-hs512-tokens-of-the-replicas-of-one-rigd!"


def test_auth_and_smtp_settings_come_from_the_environment() -> None:
    settings = load_settings(environ={
        "RIGD_AUTH_SECRET": AUTH_SECRET, "RIGD_AUTH_ISSUER": "rigd.example.com",
        "RIGD_SMTP_HOST": "mail.example.com", "RIGD_SMTP_PORT": "465", "RIGD_SMTP_TLS": "tls",
        "RIGD_SMTP_USER": "rigd", "RIGD_SMTP_PASSWORD": "smtp-secret", "RIGD_SMTP_FROM": "rigd@example.com"})
    assert (settings.auth_algorithm, settings.auth_issuer) == ("HS512", "rigd.example.com")
    assert (settings.smtp_host, settings.smtp_port, settings.smtp_tls) == ("mail.example.com", 465, "tls")
    assert AUTH_SECRET not in repr(settings) and "smtp-secret" not in repr(settings)


@pytest.mark.parametrize(("values", "message"), [
    ({"auth_algorithm": "none"}, "setting 'auth_algorithm' must be one of HS512, RS256, ES256, EdDSA, got 'none'"),
    ({"smtp_tls": "ssl"}, "setting 'smtp_tls' must be one of none, starttls, tls, got 'ssl'"),
    ({"smtp_port": "0"}, "setting 'smtp_port' has an invalid value '0'"),
])
def test_bad_values_are_named(values: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as refused:
        settings_from(values)
    assert str(refused.value) == message


def test_replicas_must_share_the_auth_secret(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="postgresql://rigd:pw@db/rigd", secret_key="x")
    with pytest.raises(ConfigError, match="setting 'auth_secret' is required when 'database_url' is set"):
        token_signing_keys(settings)
    assert token_signing_keys(replace(settings, auth_secret=AUTH_SECRET)).algorithm == "HS512"
    assert not (tmp_path / "auth.key").exists()


def test_the_embedded_default_generates_its_secret_and_a_short_secret_is_refused(tmp_path: Path) -> None:
    assert token_signing_keys(Settings(data_dir=tmp_path)).algorithm == "HS512"
    assert (tmp_path / "auth.key").exists()
    with pytest.raises(ConfigError) as refused:
        token_signing_keys(Settings(data_dir=tmp_path, auth_secret="shhhdonotshare"))
    assert str(refused.value) == "setting 'auth_secret': the secret must be at least 64 bytes long, got 14"
    with pytest.raises(ConfigError, match="setting 'auth_private_key_file': cannot read the private key file"):
        token_signing_keys(Settings(data_dir=tmp_path, auth_algorithm="ES256",
                                    auth_private_key_file=str(tmp_path / "missing.pem")))


def test_no_smtp_host_means_no_mailer() -> None:
    assert mailer(Settings()) is None
    built = mailer(Settings(smtp_host="mail.example.com", smtp_password="smtp-secret"))
    assert built is not None and "smtp-secret" not in repr(vars(built))
