"""Access, refresh and one-purpose JWTs: minted and verified with one configured algorithm.

Claims: `sub` (user or service-account id), `sty` (subject type), `jti` (the session id;
random for a service account, which has no session), `iss`, `iat`, `exp`, `auth_time`
(when the session started, for `reset_sessions`), `typ` (access, refresh, or the purpose
of a reset/verification round trip: a token of one kind is never accepted as another) and
`gen` (the refresh generation, for rotation and reuse detection).

Signing is HS512 with a shared secret by default, or RS256/ES256/EdDSA with a private key
(verified with its public key). Verification accepts only the configured algorithm, so
`alg: none`, an HS/RS swap, or any other algorithm is refused before a signature is looked
at. Refusals are `Unauthenticated` with a message a person understands; they never repeat
the token."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from rigd.adapters.secrets import load_or_create_key_file
from rigd.domain.errors import Unauthenticated
from rigd.domain.naming import quoted
from rigd.domain.sessions import SubjectType

HMAC_ALGORITHM = "HS512"
ALGORITHMS = (HMAC_ALGORITHM, "RS256", "ES256", "EdDSA")
# RFC 7518 3.2: an HS512 key at least as long as the hash; a short secret can be guessed offline
MIN_SECRET_BYTES = 64
DEFAULT_ISSUER = "rigd"
_KEY_TYPES: dict[str, tuple[type[Any], str]] = {
    "RS256": (rsa.RSAPrivateKey, "an RSA private key"),
    "ES256": (ec.EllipticCurvePrivateKey, "an EC private key on curve P-256"),
    "EdDSA": (ed25519.Ed25519PrivateKey, "an Ed25519 private key"),
}


_REQUIRED = ("sub", "sty", "jti", "iss", "iat", "exp", "auth_time", "typ", "gen")


class TokenKind(StrEnum):
    ACCESS = "access"
    REFRESH = "refresh"
    RESET_PASSWORD = "reset_password"
    VERIFY_EMAIL = "verify_email"


_KIND_NAMES = {
    TokenKind.ACCESS: "an access token",
    TokenKind.REFRESH: "a refresh token",
    TokenKind.RESET_PASSWORD: "a password-reset token",
    TokenKind.VERIFY_EMAIL: "an email-verification token",
}


class TokenKeyError(ValueError):
    """The configured key or secret is unusable; the message never contains key material."""


@dataclass(frozen=True)
class SigningKeys:
    """What signs tokens and what verifies them, for one algorithm."""

    algorithm: str
    signing_key: Any
    verifying_key: Any

    def __repr__(self) -> str:  # never show key material
        return f"SigningKeys({self.algorithm})"

    @classmethod
    def hmac(cls, secret: bytes) -> SigningKeys:
        if len(secret) < MIN_SECRET_BYTES:
            raise TokenKeyError(f"the secret must be at least {MIN_SECRET_BYTES} bytes long, got {len(secret)}")
        return cls(HMAC_ALGORITHM, secret, secret)

    @classmethod
    def private_key(cls, algorithm: str, pem: bytes) -> SigningKeys:
        """Signs with a PEM private key (unencrypted) whose type suits `algorithm`."""
        if algorithm not in _KEY_TYPES:
            raise TokenKeyError(f"a private key signs with RS256, ES256 or EdDSA, not {algorithm!r}")
        try:
            key = load_pem_private_key(pem, password=None)
        except (ValueError, TypeError):
            raise TokenKeyError("the private key file does not hold an unencrypted PEM private key") from None
        kind, described = _KEY_TYPES[algorithm]
        if not isinstance(key, kind) or (isinstance(key, ec.EllipticCurvePrivateKey)
                                         and not isinstance(key.curve, ec.SECP256R1)):
            raise TokenKeyError(f"{algorithm} needs {described}")
        return cls(algorithm, key, key.public_key())


def load_signing_keys(algorithm: str, secret: str, private_key_file: str, generated_secret_file: Path) -> SigningKeys:
    """The keys the settings name: HS512 with `secret`, or with a secret generated on first
    start into `generated_secret_file` (mode 0600) when none is set; otherwise the private key
    in `private_key_file`."""
    if algorithm not in ALGORITHMS:
        raise TokenKeyError(f"the algorithm must be one of {', '.join(ALGORITHMS)}, got {quoted(algorithm)}")
    if algorithm == HMAC_ALGORITHM:
        if private_key_file:
            raise TokenKeyError("a private key file needs the algorithm RS256, ES256 or EdDSA")
        return SigningKeys.hmac(secret.encode() if secret else _generated_secret(generated_secret_file))
    if not private_key_file:
        raise TokenKeyError(f"{algorithm} needs a private key file")
    try:
        pem = Path(private_key_file).read_bytes()
    except OSError as error:
        raise TokenKeyError(f"cannot read the private key file {private_key_file!r}: {error.strerror}") from None
    return SigningKeys.private_key(algorithm, pem)


def _generated_secret(path: Path) -> bytes:
    """The key file's 32 random bytes (as adapters.secrets writes them), stretched to the
    64 bytes HS512 wants (HKDF adds no strength, and loses none)."""
    key = load_or_create_key_file(path)
    return HKDF(algorithm=hashes.SHA512(), length=MIN_SECRET_BYTES, salt=None, info=b"rigd-auth-hs512").derive(key)


@dataclass(frozen=True)
class TokenClaims:
    """What a verified token says."""

    kind: TokenKind
    subject: str
    subject_type: SubjectType
    session_id: str
    issued_at: datetime
    expires_at: datetime
    session_started: datetime  # `auth_time`
    generation: int


@dataclass(frozen=True)
class TokenPair:
    access_token: str = ""
    refresh_token: str = ""
    access: TokenClaims | None = None
    refresh: TokenClaims | None = None

    def __repr__(self) -> str:  # never show the tokens
        return f"TokenPair(session={self.access.session_id if self.access else ''})"


class Tokens:
    """Mints and verifies rigd's JWTs. `clock` gives the time (seconds since the epoch)."""

    def __init__(self, keys: SigningKeys, issuer: str = DEFAULT_ISSUER,
                 clock: Callable[[], float] = time.time) -> None:
        self._keys = keys
        self._issuer = issuer
        self._clock = clock

    @property
    def algorithm(self) -> str:
        return self._keys.algorithm

    def mint(self, kind: TokenKind, subject: str, subject_type: SubjectType, ttl: timedelta,
             session_id: str = "", session_started: datetime | None = None, generation: int = 0) -> str:
        """A signed token of `kind`; without `session_id` a random `jti` (no session)."""
        now = int(self._clock())
        claims = {
            "sub": subject,
            "sty": str(subject_type),
            "jti": session_id or str(uuid.uuid4()),
            "iss": self._issuer,
            "iat": now,
            "exp": now + int(ttl.total_seconds()),
            "auth_time": int(session_started.timestamp()) if session_started is not None else now,
            "typ": str(kind),
            "gen": generation,
        }
        return jwt.encode(claims, self._keys.signing_key, algorithm=self._keys.algorithm)

    def mint_pair(self, subject: str, subject_type: SubjectType, session_id: str, access_ttl: timedelta,
                  refresh_ttl: timedelta, session_started: datetime | None = None, generation: int = 0) -> TokenPair:
        """An access and a refresh token of one session and refresh generation."""
        common: dict[str, Any] = {"subject": subject, "subject_type": subject_type, "session_id": session_id,
                                  "session_started": session_started, "generation": generation}
        access = self.mint(TokenKind.ACCESS, ttl=access_ttl, **common)
        refresh = self.mint(TokenKind.REFRESH, ttl=refresh_ttl, **common)
        return TokenPair(access, refresh, self.verify(access, TokenKind.ACCESS),
                         self.verify(refresh, TokenKind.REFRESH))

    def verify(self, token: str, kind: TokenKind) -> TokenClaims:
        """The claims of a token of `kind` that this rigd signed and that has not expired;
        Unauthenticated otherwise."""
        claims = self._decode(token, kind)
        try:
            found = TokenKind(claims["typ"])
            subject_type = SubjectType(claims["sty"])
            parsed = TokenClaims(
                kind=found, subject=str(claims["sub"]), subject_type=subject_type, session_id=str(claims["jti"]),
                issued_at=_time(claims["iat"]), expires_at=_time(claims["exp"]),
                session_started=_time(claims["auth_time"]), generation=int(claims["gen"]))
        except (KeyError, ValueError, TypeError, OverflowError):
            raise Unauthenticated(f"{_KIND_NAMES[kind]} is required, and this token is not one of rigd's") from None
        if found is not kind:
            raise Unauthenticated(f"{_KIND_NAMES[found]} cannot be used as {_KIND_NAMES[kind]}")
        if self._clock() >= parsed.expires_at.timestamp():
            raise Unauthenticated(f"{_KIND_NAMES[kind]} expired at {parsed.expires_at:%Y-%m-%d %H:%M:%S} UTC; "
                                  + ("refresh it or log in again" if kind is TokenKind.ACCESS else "start again"))
        return parsed

    def _decode(self, token: str, kind: TokenKind) -> dict[str, Any]:
        wanted = _KIND_NAMES[kind]
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.InvalidTokenError:
            raise Unauthenticated(f"{wanted} is required, and this is not a JWT") from None
        if algorithm != self._keys.algorithm:
            shown = quoted(str(algorithm), 16)
            raise Unauthenticated(f"the token is signed with {shown}, but rigd accepts only {self._keys.algorithm}")
        try:
            # Expiry is checked against our own clock (after the kind, for a clearer message).
            return jwt.decode(token, self._keys.verifying_key, algorithms=[self._keys.algorithm],
                              issuer=self._issuer,
                              options={"verify_exp": False, "verify_iat": False, "require": list(_REQUIRED)})
        except jwt.InvalidSignatureError:
            raise Unauthenticated("the token's signature does not verify: it was not signed by this rigd") from None
        except jwt.InvalidIssuerError:
            raise Unauthenticated(f"the token was issued by someone else, not {self._issuer!r}") from None
        except jwt.MissingRequiredClaimError as error:
            raise Unauthenticated(f"{wanted} is required, and this token lacks the claim {error.claim!r}") from None
        except jwt.InvalidTokenError:
            raise Unauthenticated(f"{wanted} is required, and this token is malformed") from None


def _time(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value), UTC)
