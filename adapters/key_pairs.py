"""Project key pairs: Ed25519, the private half sealed before it is recorded."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rigd.adapters.secrets import SecretBox


class Ed25519KeyPairs:
    def __init__(self, box: SecretBox) -> None:
        self._box = box

    def generate(self) -> tuple[str, str]:
        private = Ed25519PrivateKey.generate()
        public_pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
        private_der = private.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return public_pem, self._box.seal(private_der, context="project-key")
