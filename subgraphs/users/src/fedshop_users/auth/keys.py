"""The key that signs access tokens, and its public half as a JWKS.

Ed25519 (JWS `EdDSA`). The private key comes from `JWT_PRIVATE_KEY` (PEM); in dev, when unset,
it is generated once into `DATA_DIR/jwt_private_key.pem` and reused by every later start (and
by the other replicas of the same checkout). Outside dev an unset key stops the start-up.
"""

import base64
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from fedshop_common.auth import ALGORITHM, AUDIENCE, ISSUER, StaticKeys
from jwt.algorithms import OKPAlgorithm

KEY_FILE = "jwt_private_key.pem"


class MissingSecret(RuntimeError):
    """A secret outside dev has no default: set it, or the service does not start."""


@dataclass(frozen=True)
class SigningKey:
    private_key: Ed25519PrivateKey
    kid: str

    @classmethod
    def of(cls, private_key: Ed25519PrivateKey) -> "SigningKey":
        return cls(private_key, _thumbprint(private_key.public_key()))

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    def jwks(self) -> dict:
        jwk = json.loads(OKPAlgorithm.to_jwk(self.public_key))
        return {"keys": [{**jwk, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}]}

    def verification_keys(self) -> StaticKeys:
        return StaticKeys({self.kid: self.public_key})

    def access_token(self, user_id: int, role: str, lifetime: timedelta) -> str:
        now = datetime.now(UTC)
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(user_id),
            "role": role,
            "iat": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self.private_key, algorithm=ALGORITHM, headers={"kid": self.kid})


def _thumbprint(public_key: Ed25519PublicKey) -> str:
    """RFC 7638 thumbprint: the same key always has the same `kid`."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    return (
        base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    )


def load_signing_key(pem: str, data_dir: str, dev: bool) -> SigningKey:
    if pem.strip():
        key = serialization.load_pem_private_key(pem.strip().encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("JWT_PRIVATE_KEY must be an Ed25519 private key (PEM, PKCS#8)")
        return SigningKey.of(key)
    if not dev:
        raise MissingSecret("JWT_PRIVATE_KEY is not set (only dev generates a key of its own)")
    return SigningKey.of(_generated_key(Path(data_dir)))


def _generated_key(directory: Path) -> Ed25519PrivateKey:
    path = directory / KEY_FILE
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        draft = directory / f".{KEY_FILE}.{uuid.uuid4().hex}"
        draft.write_bytes(pem)
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # fails if a concurrent start wrote it first: theirs wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey), f"{path} holds no Ed25519 key"
    return key
