"""Project key pairs: Ed25519, the private half sealed (bound to its project) before it is recorded."""

from __future__ import annotations

from uuid import UUID

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rigd.adapters.secrets import Keyring

PRIVATE_KEY_FIELD = "private_key"  # the sealed field's name in the binding "<project aggregate id>/private_key"


class Ed25519KeyPairs:
    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring

    def generate(self, owner_id: UUID) -> tuple[str, str]:
        """(public key PEM, private key DER sealed for the aggregate `owner_id`)."""
        private = Ed25519PrivateKey.generate()
        public_pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
        private_der = private.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return public_pem, self._keyring.seal(private_der, owner_id, PRIVATE_KEY_FIELD)

    def open_private_key(self, sealed: str, owner_id: UUID) -> bytes:
        """The private key DER of a project, from its sealed form."""
        return self._keyring.open(sealed, owner_id, PRIVATE_KEY_FIELD)
