"""The one token verifier every service uses: only a valid EdDSA token of ours passes."""

import base64
import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fedshop_common.auth import Principal, StaticKeys, TokenVerifier, Unauthenticated
from fedshop_common.auth.doors import bearer_token

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
