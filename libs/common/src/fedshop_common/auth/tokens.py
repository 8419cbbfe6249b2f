"""Access tokens: JWTs the users service signs with Ed25519 (EdDSA) and every service verifies.

The verifier pins the algorithm, requires `iss`, `aud`, `sub`, `exp`, `iat`, `jti` and a known
`role`, and takes the public key named by the token's `kid` from a key source: the users
service's JWKS (fetched, cached, fetched again for an unknown `kid` at most every few seconds),
or the users service's own keys in memory.
"""

import asyncio
import time
from collections.abc import Mapping

import httpx
import jwt
import structlog

from fedshop_common.auth.principal import ROLES, AuthUnavailable, Principal, Unauthenticated

ISSUER = "fedshop-users"
AUDIENCE = "fedshop"
ALGORITHM = "EdDSA"
REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp", "iat", "jti"]
DEFAULT_LEEWAY_SECONDS = 30

log = structlog.get_logger()


class StaticKeys:
    """Public keys known in-process (the issuer verifying its own tokens, tests)."""

    def __init__(self, keys: Mapping[str, object]) -> None:
        self._keys = dict(keys)

    async def key(self, kid: str) -> object | None:
        return self._keys.get(kid)


class JwksKeys:
    """Public keys from a JWKS URL, cached; an unknown `kid` triggers a refetch, bounded to one
    per `min_refetch_seconds` so that forged `kid`s cannot make us hammer the users service."""

    def __init__(
        self,
        url: str,
        timeout_seconds: float = 2.0,
        min_refetch_seconds: float = 5.0,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self._url = url
        self._http = http or httpx.AsyncClient(timeout=timeout_seconds)
        self._min_refetch = min_refetch_seconds
        self._keys: dict[str, object] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> object | None:
        if kid in self._keys:
            return self._keys[kid]
        async with self._lock:
            if kid not in self._keys and time.monotonic() - self._fetched_at >= self._min_refetch:
                await self._fetch()
        return self._keys.get(kid)

    async def _fetch(self) -> None:
        try:
            response = await self._http.get(self._url)
            response.raise_for_status()
            jwks = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as error:
            log.warning("jwks fetch failed", url=self._url, error=repr(error))
            if not self._keys:
                raise AuthUnavailable(type(error).__name__) from error
            return  # keep serving the keys we have
        self._fetched_at = time.monotonic()
        self._keys = {k.key_id: k.key for k in jwks.keys if k.key_id}

    async def close(self) -> None:
        await self._http.aclose()


class TokenVerifier:
    def __init__(self, keys: StaticKeys | JwksKeys, leeway_seconds: float = DEFAULT_LEEWAY_SECONDS):
        self._keys = keys
        self._leeway = leeway_seconds

    async def verify(self, token: str) -> Principal:
        """The token's principal; Unauthenticated for anything short of a valid token."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Unauthenticated("malformed access token") from error
        if header.get("alg") != ALGORITHM:
            raise Unauthenticated("access token signed with an unexpected algorithm")
        kid = header.get("kid")
        key = await self._keys.key(kid) if isinstance(kid, str) else None
        if key is None:
            raise Unauthenticated("access token signed by an unknown key")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                leeway=self._leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as error:
            raise Unauthenticated("access token expired") from error
        except jwt.PyJWTError as error:
            raise Unauthenticated("invalid access token") from error
        subject, role = claims.get("sub"), claims.get("role")
        if not isinstance(subject, str) or not subject.isdigit() or role not in ROLES:
            raise Unauthenticated("invalid access token")
        return Principal(user_id=int(subject), role=role)

    async def close(self) -> None:
        if isinstance(self._keys, JwksKeys):
            await self._keys.close()
