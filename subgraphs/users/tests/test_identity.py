"""Identity in the users service: passwords, sign-in, refresh rotation and reuse, sign-out,
`me`, the JWKS, email visibility in both modes, throttles, and no default secrets outside dev."""

import uuid

import httpx
import jwt
import pytest
from asgi_lifespan import LifespanManager
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from fedshop_users.app import create_app
from fedshop_users.auth.keys import MissingSecret
from fedshop_users.auth.passwords import hash_password, verify_password
from fedshop_users.settings import UsersSettings

from .conftest import graphql, users_app

DEMO_PASSWORD = "fedshop-demo"
ADA = "ada.lovelace@example.com"
ADMIN, ADMIN_PASSWORD = "admin@fedshop.example", "fedshop-admin"


async def sign_in(client, email=ADA, password=DEMO_PASSWORD) -> httpx.Response:
    return await client.post("/auth/token", data={"username": email, "password": password})


async def token_of(client, email=ADA, password=DEMO_PASSWORD) -> str:
    response = await sign_in(client, email, password)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def unique_email() -> str:
    return f"id.{uuid.uuid4().hex[:10]}@example.com"


async def started_at(app, address: str):
    """A client of `app` that calls from `address` (each throttle test its own)."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://app")


async def test_argon2_hashes_verify_only_their_password():
    hashed = await hash_password("correct horse")
    assert hashed.startswith("$argon2id$")
    assert await verify_password("correct horse", hashed)
    assert not await verify_password("wrong horse", hashed)
    assert not await verify_password("anything", None)


async def test_a_seeded_user_signs_in_and_sees_themself(client):
    response = await sign_in(client)
    assert response.status_code == 200
    body = response.json()
    assert (body["token_type"], body["expires_in"], body["role"]) == ("bearer", 900, "customer")
    cookie = response.headers["set-cookie"]
    for attribute in ("fedshop_refresh=", "HttpOnly", "SameSite=strict", "Path=/auth"):
        assert attribute.lower() in cookie.lower()

    me = await client.get("/users/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert (me.json()["email"], me.json()["id"]) == (ADA, body["user_id"])


async def test_the_access_token_has_the_contract_claims_and_verifies_with_the_jwks(client):
    token = await token_of(client)
    jwks = (await client.get("/.well-known/jwks.json")).json()
    header = jwt.get_unverified_header(token)
    [key] = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    assert (header["alg"], key["kty"], key["crv"]) == ("EdDSA", "OKP", "Ed25519")
    public = jwt.PyJWK(key).key
    claims = jwt.decode(token, public, algorithms=["EdDSA"], audience="fedshop")
    assert claims["iss"] == "fedshop-users" and claims["role"] == "customer"
    assert claims["exp"] - claims["iat"] == 900 and claims["jti"] and claims["sub"].isdigit()


async def test_a_wrong_password_or_unknown_account_is_a_401_saying_bearer(client):
    for email, password in ((ADA, "not the password"), (unique_email(), DEMO_PASSWORD)):
        response = await sign_in(client, email, password)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json() == {"detail": "wrong email or password"}


async def test_me_needs_a_token_and_a_bad_one_is_never_anonymous(client):
    assert (await client.get("/users/me")).status_code == 401
    for headers in (bearer("garbage"), {"Authorization": "Basic YTpi"}):
        for path in ("/users/me", "/users", "/users/1"):
            response = await client.get(path, headers=headers)
            assert response.status_code == 401, path
            assert response.headers["www-authenticate"] == "Bearer"


async def test_refresh_rotates_and_a_reused_token_revokes_the_whole_family(client):
    first = (await sign_in(client)).json()["refresh_token"]
    rotated = await client.post("/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200
    second = rotated.json()["refresh_token"]
    assert second != first
    assert (await client.get("/users/me", headers=bearer(rotated.json()["access_token"]))).json()[
        "email"
    ] == ADA

    replay = await client.post("/auth/refresh", json={"refresh_token": first})
    assert replay.status_code == 401
    assert "already used" in replay.json()["detail"]
    # The thief's replay also ended the legitimate holder's session.
    assert (await client.post("/auth/refresh", json={"refresh_token": second})).status_code == 401


async def test_refresh_reads_the_cookie_and_logout_revokes_it(client):
    client.cookies.clear()
    await sign_in(client)  # the client keeps the cookie, as a browser does
    refreshed = await client.post("/auth/refresh")
    assert refreshed.status_code == 200
    assert client.cookies["fedshop_refresh"] == refreshed.json()["refresh_token"]
    newest = refreshed.json()["refresh_token"]

    logout = await client.post("/auth/logout")
    assert logout.status_code == 204
    assert 'fedshop_refresh=""' in logout.headers["set-cookie"]
    assert "fedshop_refresh" not in client.cookies
    assert (await client.post("/auth/refresh")).status_code == 401  # nothing to refresh
    revoked = await client.post("/auth/refresh", json={"refresh_token": newest})
    assert revoked.status_code == 401


async def test_a_new_user_with_a_password_can_sign_in_and_a_short_one_is_a_422(client):
    email = unique_email()
    body = {"first_name": "Mary", "last_name": "Jackson", "email": email}
    short = await client.post("/users", json={**body, "password": "short"})
    assert short.status_code == 422
    assert short.json()["detail"][0]["loc"] == ["body", "password"]

    created = await client.post("/users", json={**body, "password": "wind tunnel"})
    assert created.status_code == 201
    assert "password" not in created.json()
    assert (await sign_in(client, email, "wind tunnel")).status_code == 200
    no_password = await client.post("/users", json={**body, "email": unique_email()})
    assert (await sign_in(client, no_password.json()["email"], "")).status_code in (401, 422)


async def test_the_parrot_shop_creates_a_user_by_name_only(client):
    response = await client.post("/api/user", json={"user": {"name": "Polly  Green Parrot"}})
    assert response.status_code == 201
    created = response.json()
    assert created == {"id": created["id"], "name": "Polly  Green Parrot", "email": None}
    user = (await client.get(f"/users/{created['id']}")).json()
    assert user == {
        "id": created["id"],
        "first_name": "Polly",
        "last_name": "Green Parrot",
        "email": None,
    }

    email = unique_email()
    body = {"user": {"name": "Kea", "email": email, "password": "mountain parrot"}}
    with_login = await client.post("/api/user", json=body)
    assert with_login.status_code == 201
    assert (await client.get(f"/users/{with_login.json()['id']}")).json()["last_name"] == ""
    assert (await sign_in(client, email, "mountain parrot")).status_code == 200
    assert (await client.post("/api/user", json={"user": {}})).status_code == 422


async def test_the_admin_is_seeded_from_the_settings(client):
    response = await sign_in(client, ADMIN, ADMIN_PASSWORD)
    assert response.status_code == 200
    assert response.json()["role"] == "admin"


async def test_graphql_sign_in_me_refresh_and_sign_out(client):
    signed = await graphql(
        client,
        "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) "
        "{ accessToken refreshToken role user { email } } }",
        e=ADA,
        p=DEMO_PASSWORD,
    )
    session = signed["data"]["signIn"]
    assert (session["role"], session["user"]["email"]) == ("customer", ADA)
    me = await client.post(
        "/graphql", json={"query": "{ me { email } }"}, headers=bearer(session["accessToken"])
    )
    assert me.json()["data"]["me"]["email"] == ADA

    anonymous = await graphql(client, "{ me { email } }")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    wrong = await graphql(
        client, 'mutation { signIn(email: "ada.lovelace@example.com", password: "nope") { role } }'
    )
    assert wrong["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    refreshed = await graphql(
        client,
        "mutation($t: String!) { refresh(refreshToken: $t) { refreshToken } }",
        t=session["refreshToken"],
    )
    newest = refreshed["data"]["refresh"]["refreshToken"]
    out = await graphql(client, "mutation($t: String!) { signOut(refreshToken: $t) }", t=newest)
    assert out["data"]["signOut"] is True
    again = await graphql(
        client, "mutation($t: String!) { refresh(refreshToken: $t) { role } }", t=newest
    )
    assert again["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_open_mode_shows_every_email_to_anyone(client):
    users = (await client.get("/users")).json()
    assert all(user["email"] for user in users if user["id"] <= 5)


@pytest.fixture(scope="module")
async def signed_in_mode(stack):
    app = users_app(stack, require_sign_in=True)
    async with LifespanManager(app), await started_at(app, "10.0.0.1") as client:
        yield client


async def test_signed_in_mode_shows_an_email_only_to_its_user_and_admins(signed_in_mode):
    client = signed_in_mode
    anonymous = (await client.get("/users")).json()
    assert {user["email"] for user in anonymous} == {None}
    assert (await client.get("/users/1")).json()["email"] is None

    ada = bearer(await token_of(client))
    seen_by_ada = {user["email"] for user in (await client.get("/users", headers=ada)).json()}
    assert seen_by_ada == {ADA, None}
    assert (await client.get("/users/2", headers=ada)).json()["email"] is None

    admin = bearer(await token_of(client, ADMIN, ADMIN_PASSWORD))
    assert (await client.get("/users/2", headers=admin)).json()["email"] == (
        "alan.turing@example.com"
    )
    query = "{ users { edges { node { id email } } } }"
    emails = await client.post("/graphql", json={"query": query}, headers=ada)
    assert {e["node"]["email"] for e in emails.json()["data"]["users"]["edges"]} == {ADA, None}


@pytest.fixture(scope="module")
async def throttled(stack):
    app = users_app(stack, rate_limits="on", user_creation_limit="5/minute")
    async with LifespanManager(app):
        yield app


async def test_the_eleventh_bad_password_in_a_row_is_a_429_with_retry_after(throttled):
    async with await started_at(throttled, "10.0.1.1") as client:
        email = unique_email()
        created = await client.post(
            "/users",
            json={
                "first_name": "Try",
                "last_name": "Often",
                "email": email,
                "password": "right pass",
            },
        )
        assert created.status_code == 201
        for _ in range(10):
            assert (await sign_in(client, email, "wrong pass")).status_code == 401
        refused = await sign_in(client, email, "wrong pass")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
        # Locked even for the right password, and from another address (per account).
        assert (await sign_in(client, email, "right pass")).status_code == 429
    async with await started_at(throttled, "10.0.1.2") as elsewhere:
        assert (await sign_in(elsewhere, email, "right pass")).status_code == 429
        assert (await sign_in(elsewhere)).status_code == 200  # other accounts are not locked


async def test_failed_sign_ins_are_also_counted_per_client_address(throttled):
    async with await started_at(throttled, "10.0.1.3") as client:
        for _ in range(10):
            assert (await sign_in(client, unique_email(), "guess")).status_code == 401
        assert (await sign_in(client)).status_code == 429


async def test_a_flood_of_new_users_from_one_address_is_a_429_writing_nothing(throttled):
    async with await started_at(throttled, "10.0.2.1") as client:
        statuses = []
        for _ in range(6):
            body = {"first_name": "Flood", "last_name": "User", "email": unique_email()}
            response = await client.post("/users", json=body)
            statuses.append(response.status_code)
        assert statuses == [201] * 5 + [429]
        assert int(response.headers["retry-after"]) > 0
        assert body["email"] not in {u["email"] for u in (await client.get("/users")).json()}
        shop = await client.post("/api/user", json={"user": {"name": "Flood"}})
        assert shop.status_code == 429
        created = await graphql(
            client,
            'mutation { createUser(input: {firstName: "F", lastName: "U", '
            f'email: "{unique_email()}"}}) {{ id }} }}',
        )
        assert created["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_outside_dev_an_unset_key_or_admin_password_stops_the_start(stack, tmp_path):
    base = {
        "database_url": stack.database_url("users"),
        "data_dir": str(tmp_path),
        "router_shared_secret": "s3cret",
    }
    with pytest.raises(MissingSecret, match="JWT_PRIVATE_KEY"):
        create_app(UsersSettings(fedshop_env="production", admin_password="x" * 12, **base))
    pem = (
        Ed25519PrivateKey.generate()
        .private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        .decode()
    )
    with pytest.raises(MissingSecret, match="ADMIN_PASSWORD"):
        create_app(UsersSettings(fedshop_env="production", jwt_private_key=pem, **base))
    assert create_app(
        UsersSettings(
            fedshop_env="production", jwt_private_key=pem, admin_password="s3cret!!", **base
        )
    )
    assert not list(tmp_path.iterdir())  # nothing generated outside dev


async def test_a_sign_in_with_control_characters_is_just_a_wrong_one(app, client):
    async with await started_at(app, "10.0.3.1") as other:
        for email in ("ada\x00@example.com", "x" * 400, ""):
            response = await other.post("/auth/token", data={"username": email, "password": "p"})
            assert response.status_code in (401, 422), response.text
