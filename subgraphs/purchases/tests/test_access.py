"""Who may buy and read purchases, in open and signed-in mode, and the purchase throttle; the
tokens come from the real users service, verified here through its JWKS."""

import httpx
import pytest
from asgi_lifespan import LifespanManager

from tests.support import QueueReader

from .conftest import purchases_app

TABLE = 1
ADA, ALAN = 1, 2  # seeded users
DEMO_PASSWORD = "fedshop-demo"
BUY = "mutation($u: ID!, $i: ID!) { purchase(userId: $u, itemId: $i) { id status } }"
HISTORY = """
query($r: [_Any!]!) {
  _entities(representations: $r) { ... on User { purchases { edges { node { id } } } } }
}"""


@pytest.fixture(scope="module")
def tokens(users_url):
    def sign_in(email: str, password: str = DEMO_PASSWORD) -> dict:
        response = httpx.post(
            f"{users_url}/auth/token", data={"username": email, "password": password}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    return {
        "ada": sign_in("ada.lovelace@example.com"),
        "alan": sign_in("alan.turing@example.com"),
        "admin": sign_in("admin@fedshop.example", "fedshop-admin"),
    }


def client_from(app, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://app")


def first_purchase_id(history: dict) -> str:
    return history["data"]["_entities"][0]["purchases"]["edges"][0]["node"]["id"]


async def buy(client, user_id, headers=None) -> httpx.Response:
    body = {"user_id": user_id, "item_id": TABLE}
    return await client.post("/purchase", json=body, headers=headers or {})


async def gql(client, query, headers=None, **variables) -> dict:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_open_mode_a_token_is_held_to_its_user_unless_admin(client, tokens):
    assert (await buy(client, ADA)).status_code == 201  # anonymous, as the first statement
    assert (await buy(client, ADA, tokens["ada"])).status_code == 201
    refused = await buy(client, ALAN, tokens["ada"])
    assert refused.status_code == 403
    assert refused.json() == {"detail": "user 1 may not act for user 2"}
    assert (await buy(client, ALAN, tokens["admin"])).status_code == 201

    result = await gql(client, BUY, tokens["ada"], u=str(ALAN), i=str(TABLE))
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await gql(client, BUY, u=str(ALAN), i=str(TABLE)))["data"]["purchase"]["id"]

    # Reading stays open to all in open mode, signed in or not.
    alans = [{"__typename": "User", "id": str(ALAN)}]
    seen = await gql(client, HISTORY, tokens["ada"], r=alans)
    assert seen["data"]["_entities"][0]["purchases"]
    assert (
        await client.get(f"/purchases/{first_purchase_id(seen)}", headers=tokens["ada"])
    ).status_code == 200


async def test_a_bad_token_is_a_401_in_open_mode_too(client):
    for headers in ({"Authorization": "Bearer forged"}, {"Authorization": "Token x"}):
        response = await buy(client, ADA, headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert (await client.get("/items", headers=headers)).status_code == 401
        result = await gql(client, BUY, headers, u=str(ADA), i=str(TABLE))
        assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.fixture(scope="module")
async def signed_in_mode(stack, users_url):
    app = purchases_app(stack, users_url, require_sign_in=True)
    async with LifespanManager(app), client_from(app, "10.1.0.1") as client:
        yield client


async def test_signed_in_mode_buying_needs_a_token_and_ownership(signed_in_mode, tokens, broker):
    client = signed_in_mode
    events = QueueReader(broker, "email-worker.purchases")
    await events.drain()
    anonymous = await buy(client, ADA)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert (await buy(client, ALAN, tokens["ada"])).status_code == 403

    mine = await buy(client, ADA, tokens["ada"])
    assert mine.status_code == 201
    # The users service showed the buyer's address to the purchases service (the buyer's token).
    [event] = await events.about(mine.json()["id"])
    assert event["user"]["email"] == "ada.lovelace@example.com"
    assert (await buy(client, ALAN, tokens["admin"])).status_code == 201

    result = await gql(client, BUY, u=str(ADA), i=str(TABLE))
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_signed_in_mode_a_purchase_history_is_its_owners(signed_in_mode, tokens):
    client = signed_in_mode
    bought = (await buy(client, ADA, tokens["ada"])).json()["id"]
    path = f"/purchases/{bought}"
    assert (await client.get(path)).status_code == 401
    assert (await client.get(path, headers=tokens["alan"])).status_code == 403
    assert (await client.get(path, headers=tokens["ada"])).status_code == 200
    assert (await client.get(path, headers=tokens["admin"])).status_code == 200

    ada = [{"__typename": "User", "id": str(ADA)}]
    own = await gql(client, HISTORY, tokens["ada"], r=ada)
    assert bought in {e["node"]["id"] for e in own["data"]["_entities"][0]["purchases"]["edges"]}
    other = await gql(client, HISTORY, tokens["alan"], r=ada)
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert other["data"]["_entities"][0]["purchases"] is None
    anonymous = await gql(client, HISTORY, r=ada)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    read = await gql(
        client, "query($id: ID!) { purchase(id: $id) { id } }", tokens["alan"], id=bought
    )
    assert read["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_purchase_flood_from_one_address_is_a_429_writing_nothing(stack, users_url):
    app = purchases_app(stack, users_url, purchase_limit="3/minute")
    async with LifespanManager(app), client_from(app, "10.1.9.9") as client:
        statuses = [(await buy(client, ADA)).status_code for _ in range(3)]
        history = await gql(client, HISTORY, r=[{"__typename": "User", "id": str(ADA)}])
        before = len(history["data"]["_entities"][0]["purchases"]["edges"])
        refused = await buy(client, ADA)
        assert statuses == [201, 201, 201]
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        result = await gql(client, BUY, u=str(ADA), i=str(TABLE))
        assert result["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        history = await gql(client, HISTORY, r=[{"__typename": "User", "id": str(ADA)}])
        assert len(history["data"]["_entities"][0]["purchases"]["edges"]) == before


ORDER_HISTORY = """
query($r: [_Any!]!) {
  _entities(representations: $r) { ... on User { orders { edges { node { id } } } } }
}"""
CHECKOUT = 'mutation($u: ID!) { checkout(userId: $u, items: [{itemId: "1"}]) { id } }'


async def test_signed_in_mode_checkout_and_orders_need_a_token_and_ownership(
    signed_in_mode, tokens
):
    client = signed_in_mode
    order = {"user_id": ADA, "items": [TABLE]}
    anonymous = await client.post("/api/checkout", json=order)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert (
        await client.post("/api/checkout", json=order, headers=tokens["alan"])
    ).status_code == 403
    mine = await client.post("/api/checkout", json=order, headers=tokens["ada"])
    assert mine.status_code == 201, mine.text
    assert (
        await client.post("/api/checkout", json=order, headers=tokens["admin"])
    ).status_code == 201
    result = await gql(client, CHECKOUT, tokens["alan"], u=str(ADA))
    assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    order_id = mine.json()["id"]
    for path in (
        f"/api/orders/{order_id}",
        f"/api/users/{ADA}/orders",
        f"/api/users/{ADA}/purchases",
    ):
        assert (await client.get(path)).status_code == 401, path
        assert (await client.get(path, headers=tokens["alan"])).status_code == 403, path
        assert (await client.get(path, headers=tokens["ada"])).status_code == 200, path
        assert (await client.get(path, headers=tokens["admin"])).status_code == 200, path
    listed = (await client.get(f"/api/users/{ADA}/orders", headers=tokens["ada"])).json()
    assert order_id in {o["id"] for o in listed}

    ada = [{"__typename": "User", "id": str(ADA)}]
    own = await gql(client, ORDER_HISTORY, tokens["ada"], r=ada)
    assert order_id in {e["node"]["id"] for e in own["data"]["_entities"][0]["orders"]["edges"]}
    other = await gql(client, ORDER_HISTORY, tokens["alan"], r=ada)
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    read = await gql(
        client, "query($id: ID!) { order(id: $id) { id } }", tokens["alan"], id=order_id
    )
    assert read["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous_read = await gql(client, "query($id: ID!) { order(id: $id) { id } }", id=order_id)
    assert anonymous_read["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_open_mode_a_checkout_token_is_held_to_its_user(client, tokens):
    order = {"user_id": ALAN, "items": [TABLE]}
    assert (await client.post("/api/checkout", json=order)).status_code == 201
    refused = await client.post("/api/checkout", json=order, headers=tokens["ada"])
    assert refused.status_code == 403
    assert (
        await client.post("/api/checkout", json=order, headers=tokens["admin"])
    ).status_code == 201
    assert (await client.get(f"/api/users/{ALAN}/orders", headers=tokens["ada"])).status_code == 200
