"""The sale's two tokens, JWTs this service signs (HS256, `SALE_TOKEN_SECRET`): the queue token
(a place in a sale's queue) and the purchase token (the right to buy its unit). Each names its
user (`sub`), its sale (`sale`) and itself (`jti`), and lives an hour. The audiences differ, so
one never passes for the other. A valid signature is not enough: the service honours only the
`jti`s it wrote down."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt
from fedshop_common.auth import Unauthenticated
from pydantic_settings import BaseSettings, SettingsConfigDict

ISSUER = "fedshop-purchases"
ALGORITHM = "HS256"
LIFETIME = timedelta(hours=1)
LEEWAY_SECONDS = 5
MIN_SECRET_BYTES = 32  # HS256's key: at least the hash's length (RFC 7518, 3.2)
# Dev only: outside dev an unset SALE_TOKEN_SECRET stops the start-up.
DEV_SECRET = "fedshop-dev-sale-secret-not-for-deployments"


class SaleSettings(BaseSettings):
    """The knobs of the sale, shared by the purchases service and the sale worker."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    # Signs queue and purchase tokens (HS256). Empty: a dev default; elsewhere a refused start.
    sale_token_secret: str = ""
    # A sale's queue takes at most this many entries; then entering is a 409.
    sale_queue_capacity: int = 10_000


class MissingSaleSecret(RuntimeError):
    """Outside dev, tokens signed with a public default could be forged by anyone."""


def signing_secret(secret: str, is_dev: bool) -> str:
    if is_dev:
        return secret or DEV_SECRET
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise MissingSaleSecret(
            f"SALE_TOKEN_SECRET is empty or shorter than {MIN_SECRET_BYTES} bytes: outside dev "
            "(FEDSHOP_ENV) the sale's tokens need a secret of their own"
        )
    return secret


class TokenKind(StrEnum):
    QUEUE = "queue"
    PURCHASE = "purchase"

    @property
    def audience(self) -> str:
        return f"fedshop-sale-{self.value}"


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    sale_id: uuid.UUID
    jti: uuid.UUID


class SaleTokens:
    def __init__(self, secret: str) -> None:
        self._secret = secret

    def issue(
        self, kind: TokenKind, user_id: int, sale_id: uuid.UUID, jti: uuid.UUID, now: datetime
    ) -> tuple[str, datetime]:
        """The signed token and when it expires."""
        expires = now + LIFETIME
        claims = {
            "iss": ISSUER,
            "aud": kind.audience,
            "sub": str(user_id),
            "sale": str(sale_id),
            "jti": str(jti),
            "iat": now,
            "exp": expires,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM), expires

    def read(self, kind: TokenKind, token: str) -> TokenClaims:
        """The claims of a token signed here; Unauthenticated for a forged, expired or
        malformed one."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=kind.audience,
                issuer=ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "sub", "sale", "jti", "exp"]},
            )
            return TokenClaims(
                int(claims["sub"]), uuid.UUID(claims["sale"]), uuid.UUID(claims["jti"])
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated(f"the {kind} token expired") from error
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise Unauthenticated(f"not a {kind} token of this shop (forged or damaged)") from error


def now() -> datetime:
    return datetime.now(UTC)
