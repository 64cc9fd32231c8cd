"""JWTs: minted and verified with one algorithm; the token attacks of issue 7 are refused."""

import base64
import hashlib
import hmac
import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from rigd.adapters.tokens import SigningKeys, TokenKeyError, TokenKind, Tokens, load_signing_keys
from rigd.domain.errors import Unauthenticated
from rigd.domain.sessions import SubjectType

SECRET = b"s" * 64
HOUR, WEEK = timedelta(hours=1), timedelta(days=7)
NOW = 1_800_000_000.0


def _tokens(keys: SigningKeys | None = None, now: float = NOW, issuer: str = "rigd") -> Tokens:
    return Tokens(keys or SigningKeys.hmac(SECRET), issuer, clock=lambda: now)


def _pem(key: object) -> bytes:
    return key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _refused(tokens: Tokens, token: str, kind: TokenKind = TokenKind.ACCESS) -> str:
    with pytest.raises(Unauthenticated) as refused:
        tokens.verify(token, kind)
    message = refused.value.message
    assert token not in message and token[-20:] not in message  # never echoed
    return message


def test_a_pair_carries_subject_session_kind_and_generation() -> None:
    tokens = _tokens()
    started = datetime.fromtimestamp(NOW - 100, UTC)
    pair = tokens.mint_pair("u-1", SubjectType.USER, "s-1", HOUR, WEEK, session_started=started, generation=3)
    access = tokens.verify(pair.access_token, TokenKind.ACCESS)
    refresh = tokens.verify(pair.refresh_token, TokenKind.REFRESH)
    assert (access.subject, access.subject_type, access.session_id, access.generation) == (
        "u-1", SubjectType.USER, "s-1", 3)
    assert access.expires_at == datetime.fromtimestamp(NOW, UTC) + HOUR
    assert refresh.expires_at == datetime.fromtimestamp(NOW, UTC) + WEEK
    assert access.session_started == started
    header = jwt.get_unverified_header(pair.access_token)
    assert header["alg"] == "HS512"
    claims = jwt.decode(pair.access_token, options={"verify_signature": False})
    assert {"sub", "sty", "jti", "iss", "iat", "exp"} <= set(claims)
    assert "s-1" not in repr(pair) or pair.access_token not in repr(pair)


def test_a_service_account_token_has_a_random_jti() -> None:
    tokens = _tokens()
    first = tokens.verify(tokens.mint(TokenKind.ACCESS, "sa-1", SubjectType.SERVICE_ACCOUNT, HOUR), TokenKind.ACCESS)
    second = tokens.verify(tokens.mint(TokenKind.ACCESS, "sa-1", SubjectType.SERVICE_ACCOUNT, HOUR), TokenKind.ACCESS)
    assert first.subject_type is SubjectType.SERVICE_ACCOUNT and first.session_id != second.session_id


def test_a_refresh_token_is_no_access_token_and_vice_versa() -> None:
    tokens = _tokens()
    pair = tokens.mint_pair("u-1", SubjectType.USER, "s-1", HOUR, WEEK)
    assert _refused(tokens, pair.refresh_token) == "a refresh token cannot be used as an access token"
    assert _refused(tokens, pair.access_token, TokenKind.REFRESH) == "an access token cannot be used as a refresh token"
    reset = tokens.mint(TokenKind.RESET_PASSWORD, "u-1", SubjectType.USER, HOUR)
    assert "cannot be used as an access token" in _refused(tokens, reset)
    assert tokens.verify(reset, TokenKind.RESET_PASSWORD).subject == "u-1"


def test_expired_tokens_are_refused() -> None:
    token = _tokens().mint(TokenKind.ACCESS, "u-1", SubjectType.USER, HOUR)
    later = _tokens(now=NOW + HOUR.total_seconds())
    assert "access token expired at" in _refused(later, token)
    assert _tokens(now=NOW + HOUR.total_seconds() - 1).verify(token, TokenKind.ACCESS)


def test_alg_none_is_refused() -> None:
    claims = jwt.decode(_tokens().mint(TokenKind.ACCESS, "u-1", SubjectType.USER, HOUR),
                        options={"verify_signature": False})
    unsigned = f"{_b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{_b64(json.dumps(claims).encode())}."
    assert _refused(_tokens(), unsigned) == "the token is signed with 'none', but rigd accepts only HS512"


def test_a_wrong_signature_and_another_issuer_are_refused() -> None:
    forged = jwt.encode(
        jwt.decode(_tokens().mint(TokenKind.ACCESS, "u-1", SubjectType.USER, HOUR),
                   options={"verify_signature": False}), b"x" * 64, algorithm="HS512")
    assert "signature does not verify" in _refused(_tokens(), forged)
    elsewhere = _tokens(issuer="other").mint(TokenKind.ACCESS, "u-1", SubjectType.USER, HOUR)
    assert "issued by someone else" in _refused(_tokens(), elsewhere)
    assert "not a JWT" in _refused(_tokens(), "not-a-token")


def test_the_hs_rs_swap_is_refused() -> None:
    """An RS256 server's public key is public: a token HMAC-signed with it must not pass."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    keys = SigningKeys.private_key("RS256", _pem(private))
    tokens = _tokens(keys)
    genuine = tokens.mint(TokenKind.ACCESS, "u-1", SubjectType.USER, HOUR)
    assert tokens.verify(genuine, TokenKind.ACCESS).subject == "u-1"
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    claims = jwt.decode(genuine, options={"verify_signature": False})
    signing_input = f"{_b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{_b64(json.dumps(claims).encode())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    assert "rigd accepts only RS256" in _refused(tokens, f"{signing_input}.{_b64(mac)}")
    # and the other way round: an HS512 server refuses an RS256 token
    assert "rigd accepts only HS512" in _refused(_tokens(), genuine)


@pytest.mark.parametrize(("algorithm", "key"), [
    ("ES256", lambda: ec.generate_private_key(ec.SECP256R1())),
    ("EdDSA", lambda: ed25519.Ed25519PrivateKey.generate()),
])
def test_asymmetric_algorithms_round_trip(algorithm: str, key: object) -> None:
    tokens = _tokens(SigningKeys.private_key(algorithm, _pem(key())))  # type: ignore[operator]
    token = tokens.mint(TokenKind.REFRESH, "u-1", SubjectType.USER, WEEK, session_id="s-1")
    assert jwt.get_unverified_header(token)["alg"] == algorithm
    assert tokens.verify(token, TokenKind.REFRESH).session_id == "s-1"


def test_keys_must_suit_the_algorithm_and_secrets_must_be_long() -> None:
    with pytest.raises(TokenKeyError, match="ES256 needs an EC private key on curve P-256"):
        SigningKeys.private_key("ES256", _pem(ed25519.Ed25519PrivateKey.generate()))
    with pytest.raises(TokenKeyError, match="ES256 needs"):
        SigningKeys.private_key("ES256", _pem(ec.generate_private_key(ec.SECP384R1())))
    with pytest.raises(TokenKeyError, match="unencrypted PEM private key"):
        SigningKeys.private_key("RS256", b"garbage")
    with pytest.raises(TokenKeyError, match="at least 64 bytes") as short:
        SigningKeys.hmac(b"shhhdonotshare")
    assert "shhh" not in str(short.value)
    assert "s" * 10 not in repr(SigningKeys.hmac(SECRET))


def test_the_embedded_default_generates_a_private_secret_file_once(tmp_path: Path) -> None:
    path = tmp_path / "var" / "auth.key"
    first = load_signing_keys("HS512", "", "", path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    token = _tokens(first).mint(TokenKind.ACCESS, "u-1", SubjectType.USER, HOUR)
    assert _tokens(load_signing_keys("HS512", "", "", path)).verify(token, TokenKind.ACCESS)  # same secret on restart
    assert len(first.signing_key) == 64
    configured = load_signing_keys("HS512", "c" * 64, "", tmp_path / "unused.key")
    assert configured.signing_key == b"c" * 64 and not (tmp_path / "unused.key").exists()


def test_private_key_files_are_read_and_named_in_errors(tmp_path: Path) -> None:
    key_file = tmp_path / "jwt.pem"
    key_file.write_bytes(_pem(ed25519.Ed25519PrivateKey.generate()))
    assert load_signing_keys("EdDSA", "", str(key_file), tmp_path / "auth.key").algorithm == "EdDSA"
    with pytest.raises(TokenKeyError, match="needs a private key file"):
        load_signing_keys("RS256", "", "", tmp_path / "auth.key")
    with pytest.raises(TokenKeyError, match="cannot read the private key file"):
        load_signing_keys("RS256", "", str(tmp_path / "missing.pem"), tmp_path / "auth.key")
    with pytest.raises(TokenKeyError, match="needs the algorithm RS256, ES256 or EdDSA"):
        load_signing_keys("HS512", "", str(key_file), tmp_path / "auth.key")
