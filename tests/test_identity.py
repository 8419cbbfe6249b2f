"""Identity end to end, through the router and the real processes, in both modes: sign in, `me`,
buying as oneself (and not as another), refresh, sign-out, the throttles."""

import uuid

import httpx
import pytest
from gql.transport.exceptions import TransportQueryError

from tests.graphql_client import PURCHASE, TABLE, execute, follow_over_websocket
from tests.system import start_system

ADA, ALAN = "1", "2"
DEMO_PASSWORD = "fedshop-demo"
SIGN_IN = """
mutation($email: String!, $password: String!) {
  signIn(email: $email, password: $password) { accessToken refreshToken role user { id } }
}"""
REFRESH = "mutation($t: String!) { refresh(refreshToken: $t) { accessToken refreshToken } }"
SIGN_OUT = "mutation($t: String!) { signOut(refreshToken: $t) }"
ME = "{ me { id firstName email } }"
HISTORY = "query($id: ID!) { user(id: $id) { email purchases { edges { node { id } } } } }"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def sign_in(url, email="ada.lovelace@example.com", password=DEMO_PASSWORD) -> dict:
    return (await execute(url, SIGN_IN, email=email, password=password))["signIn"]


async def error_code(url, query, headers=None, **variables) -> str:
    with pytest.raises(TransportQueryError) as raised:
        await execute(url, query, headers, **variables)
    return raised.value.errors[0]["extensions"]["code"]


@pytest.fixture(scope="module")
def open_mode(system):
    return system


@pytest.fixture(scope="module")
def signed_in_mode(make_stack):
    running = start_system(make_stack("signedin"), REQUIRE_SIGN_IN="true")
    yield running
    running.stop()


async def test_open_mode_sign_in_me_and_buying_as_oneself(open_mode):
    url = open_mode.graphql_url
    session = await sign_in(url)
    token = bearer(session["accessToken"])
    assert (await execute(url, ME, token))["me"] == {
        "id": ADA,
        "firstName": "Ada",
        "email": "ada.lovelace@example.com",
    }
    assert await error_code(url, ME) == "UNAUTHENTICATED"

    mine = await execute(url, PURCHASE, token, userId=ADA, itemId=TABLE)
    assert mine["purchase"]["status"] == "SUCCEEDED"
    assert await error_code(url, PURCHASE, token, userId=ALAN, itemId=TABLE) == "FORBIDDEN"
    admin = bearer((await sign_in(url, "admin@fedshop.example", "fedshop-admin"))["accessToken"])
    assert (await execute(url, PURCHASE, admin, userId=ALAN, itemId=TABLE))["purchase"]["id"]
    # Anonymous, as the first task statement; a bad token is never anonymous.
    assert (await execute(url, PURCHASE, userId=ALAN, itemId=TABLE))["purchase"]["id"]
    forged = bearer("e30.e30.e30")
    assert await error_code(url, PURCHASE, forged, userId=ADA, itemId=TABLE) == "UNAUTHENTICATED"


async def test_refresh_rotates_and_sign_out_revokes_through_the_router(open_mode):
    url = open_mode.graphql_url
    session = await sign_in(url)
    rotated = (await execute(url, REFRESH, t=session["refreshToken"]))["refresh"]
    assert (await execute(url, ME, bearer(rotated["accessToken"])))["me"]["id"] == ADA
    assert await error_code(url, REFRESH, t=session["refreshToken"]) == "UNAUTHENTICATED"

    fresh = await sign_in(url)
    assert (await execute(url, SIGN_OUT, t=fresh["refreshToken"]))["signOut"] is True
    assert await error_code(url, REFRESH, t=fresh["refreshToken"]) == "UNAUTHENTICATED"


async def test_eleven_bad_passwords_are_a_429_with_retry_after(open_mode):
    # Its own client address (uvicorn trusts X-Forwarded-For from localhost), so that this
    # test's lock-out is no other test's.
    headers = {"X-Forwarded-For": "198.51.100.11"}
    email = f"locked.{uuid.uuid4().hex[:8]}@example.com"
    async with httpx.AsyncClient(base_url=open_mode.users_url, headers=headers) as users:
        body = {
            "first_name": "Lock",
            "last_name": "Out",
            "email": email,
            "password": "the right one",
        }
        assert (await users.post("/users", json=body)).status_code == 201
        statuses = [
            (await users.post("/auth/token", data={"username": email, "password": "bad"}))
            for _ in range(11)
        ]
    assert [r.status_code for r in statuses] == [401] * 10 + [429]
    assert int(statuses[-1].headers["retry-after"]) > 0
    code = await error_code(open_mode.graphql_url, SIGN_IN, email=email, password="the right one")
    assert code == "RATE_LIMITED"


async def test_a_flood_of_new_users_from_one_address_is_a_429(open_mode):
    headers = {"X-Forwarded-For": "198.51.100.22"}
    async with httpx.AsyncClient(base_url=open_mode.users_url, headers=headers) as users:
        statuses = []
        for n in range(31):
            body = {"user": {"name": f"Flood {n}", "email": f"f{uuid.uuid4().hex[:8]}@ex.com"}}
            statuses.append(await users.post("/api/user", json=body))
    assert [r.status_code for r in statuses] == [201] * 30 + [429]
    assert int(statuses[-1].headers["retry-after"]) > 0


async def test_signed_in_mode_buys_only_as_oneself_and_follows_over_websocket(signed_in_mode):
    url = signed_in_mode.graphql_url
    assert await error_code(url, PURCHASE, userId=ADA, itemId=TABLE) == "UNAUTHENTICATED"
    ada = bearer((await sign_in(url))["accessToken"])
    assert await error_code(url, PURCHASE, ada, userId=ALAN, itemId=TABLE) == "FORBIDDEN"
    bought = (await execute(url, PURCHASE, ada, userId=ADA, itemId=TABLE))["purchase"]

    # The subscription carries the token in connection_init; the router passes it on.
    states = await follow_over_websocket(
        url, bought["id"], init_payload={"authorization": ada["Authorization"]}
    )
    assert states[-1]["email"]["recipient"] == "ada.lovelace@example.com"

    own = (await execute(url, HISTORY, ada, id=ADA))["user"]
    assert own["email"] == "ada.lovelace@example.com"
    assert bought["id"] in {e["node"]["id"] for e in own["purchases"]["edges"]}
    assert await error_code(url, HISTORY, ada, id=ALAN) == "FORBIDDEN"
    admin = bearer((await sign_in(url, "admin@fedshop.example", "fedshop-admin"))["accessToken"])
    assert (await execute(url, HISTORY, admin, id=ALAN))["user"]["email"] == (
        "alan.turing@example.com"
    )
    assert (await execute(url, PURCHASE, admin, userId=ALAN, itemId=TABLE))["purchase"]["id"]


async def test_a_shop_user_without_an_address_buys_and_the_email_is_recorded_unsent(open_mode):
    async with httpx.AsyncClient(base_url=open_mode.users_url) as users:
        created = await users.post("/api/user", json={"user": {"name": "Polly Parrot"}})
    assert created.status_code == 201
    user_id = str(created.json()["id"])
    bought = await execute(open_mode.graphql_url, PURCHASE, userId=user_id, itemId=TABLE)
    assert bought["purchase"]["user"] == {"firstName": "Polly"}

    states = await follow_over_websocket(open_mode.graphql_url, bought["purchase"]["id"])
    assert states[-1]["email"]["kind"] == "CONFIRMATION"
    assert states[-1]["email"]["recipient"] == ""  # recorded as "no address", nothing sent
