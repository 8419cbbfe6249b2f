"""The one token verifier every service uses: only a valid EdDSA token of ours passes."""

import base64
import json
import time
import uuid

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fedshop_common.auth import (
    AuthUnavailable,
    JwksKeys,
    Principal,
    StaticKeys,
    TokenVerifier,
    Unauthenticated,
)
from fedshop_common.auth.doors import bearer_token
from jwt.algorithms import OKPAlgorithm

KEY = Ed25519PrivateKey.generate()
KID = "test-key"
verifier = TokenVerifier(StaticKeys({KID: KEY.public_key()}), leeway_seconds=5)


def claims(**changes) -> dict:
    now = int(time.time())
    base = {
        "iss": "fedshop-users",
        "aud": "fedshop",
        "sub": "7",
        "role": "customer",
        "iat": now,
        "exp": now + 900,
        "jti": uuid.uuid4().hex,
    }
    return {key: value for key, value in (base | changes).items() if value is not None}


def token(key=KEY, kid=KID, **changes) -> str:
    return jwt.encode(claims(**changes), key, algorithm="EdDSA", headers={"kid": kid})


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_a_valid_token_names_its_user_and_role():
    assert await verifier.verify(token(role="admin")) == Principal(user_id=7, role="admin")


async def test_an_expired_token_is_refused_beyond_the_leeway():
    now = int(time.time())
    assert await verifier.verify(token(iat=now - 1000, exp=now - 2))  # within 5 s of leeway
    with pytest.raises(Unauthenticated, match="expired"):
        await verifier.verify(token(iat=now - 1000, exp=now - 60))


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "another-audience"},
        {"iss": "someone-else"},
        {"role": "superuser"},
        {"sub": "not-a-number"},
        {"jti": None},
        {"exp": None},
    ],
    ids=["wrong aud", "wrong iss", "unknown role", "bad sub", "no jti", "no exp"],
)
async def test_wrong_or_missing_claims_are_refused(changes):
    with pytest.raises(Unauthenticated):
        await verifier.verify(token(**changes))


async def test_alg_none_is_refused():
    unsigned = f"{b64({'alg': 'none', 'kid': KID, 'typ': 'JWT'})}.{b64(claims())}."
    with pytest.raises(Unauthenticated, match="algorithm"):
        await verifier.verify(unsigned)


async def test_a_symmetric_token_keyed_with_anything_is_refused():
    forged = jwt.encode(
        claims(), "the public key, as an HMAC secret", algorithm="HS256", headers={"kid": KID}
    )
    with pytest.raises(Unauthenticated, match="algorithm"):
        await verifier.verify(forged)


async def test_a_token_signed_by_another_key_is_refused():
    with pytest.raises(Unauthenticated):
        await verifier.verify(token(key=Ed25519PrivateKey.generate()))
    with pytest.raises(Unauthenticated, match="unknown key"):
        await verifier.verify(token(kid="someone-elses-key"))


async def test_a_tampered_payload_is_refused():
    header, _, signature = token().split(".")
    tampered = f"{header}.{b64(claims(role='admin'))}.{signature}"
    with pytest.raises(Unauthenticated, match="invalid"):
        await verifier.verify(tampered)


async def test_garbage_is_refused():
    with pytest.raises(Unauthenticated, match="malformed"):
        await verifier.verify("not.a.jwt")


def test_the_authorization_header_must_be_a_bearer_token():
    assert bearer_token(None) is None
    assert bearer_token("Bearer abc") == "abc"
    for sent in ("Basic dXNlcjpwdw==", "Bearer", "Bearer   ", "abc"):
        with pytest.raises(Unauthenticated):
            bearer_token(sent)


class JwksServer:
    """The users service's JWKS as an httpx transport: serves `keys`, counts fetches."""

    def __init__(self, *keys: tuple[str, Ed25519PrivateKey]) -> None:
        self.keys = list(keys)
        self.fetches = 0
        self.down = False

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.fetches += 1
        if self.down:
            return httpx.Response(503)
        jwks = [
            {**json.loads(OKPAlgorithm.to_jwk(key.public_key())), "kid": kid, "alg": "EdDSA"}
            for kid, key in self.keys
        ]
        return httpx.Response(200, json={"keys": jwks})

    def verifier(self, min_refetch_seconds: float = 60) -> TokenVerifier:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self.handle))
        return TokenVerifier(
            JwksKeys("http://users/.well-known/jwks.json", 1, min_refetch_seconds, http)
        )


async def test_jwks_keys_are_fetched_once_and_again_only_for_a_new_kid_at_most_so_often():
    server = JwksServer((KID, KEY))
    verifier = server.verifier(min_refetch_seconds=60)
    for _ in range(3):
        assert await verifier.verify(token())
    assert server.fetches == 1

    rotated = Ed25519PrivateKey.generate()
    server.keys.append(("rotated", rotated))
    # An unknown kid soon after a fetch is refused without asking again (forged kids cannot
    # make every request a fetch)...
    with pytest.raises(Unauthenticated, match="unknown key"):
        await verifier.verify(token(key=rotated, kid="rotated"))
    assert server.fetches == 1

    # ...and once the interval has passed, a new kid is fetched and accepted.
    quick = server.verifier(min_refetch_seconds=0)
    assert await quick.verify(token())
    newest = Ed25519PrivateKey.generate()
    server.keys.append(("newest", newest))
    assert await quick.verify(token(key=newest, kid="newest"))
    assert server.fetches == 3  # the first verifier's one, the quick one's first and its refetch


async def test_jwks_down_before_any_fetch_is_unavailable_and_after_one_serves_the_cache():
    server = JwksServer((KID, KEY))
    server.down = True
    with pytest.raises(AuthUnavailable):
        await server.verifier(min_refetch_seconds=0).verify(token())

    server.down = False
    verifier = server.verifier(min_refetch_seconds=0)
    assert await verifier.verify(token())
    server.down = True
    assert await verifier.verify(token())  # cached
    with pytest.raises(Unauthenticated, match="unknown key"):
        await verifier.verify(token(kid="another"))
