"""The whole system as `make dev` runs it: real processes, through the router, over HTTP and WS."""

import asyncio

import httpx
import pytest

from tests.graphql_client import LAMP, PURCHASE, TABLE, execute, follow_over_websocket, nodes

USERS_WITH_PURCHASES = """
query UsersWithPurchases {
  users {
    edges {
      node {
        id firstName email
        purchases { edges { node { status item { name price } email { kind } } } }
      }
    }
  }
}"""


@pytest.fixture(scope="module")
def router_url(system) -> str:
    return system.graphql_url


async def test_reads_users_with_nested_purchases_from_both_subgraphs_in_one_query(
    router_url, system
):
    async with httpx.AsyncClient(base_url=system.purchases_url, timeout=10) as client:
        response = await client.post("/purchase", json={"user_id": 1, "item_id": 7})
        assert response.status_code == 201
    data = await execute(router_url, USERS_WITH_PURCHASES)
    users = nodes(data["users"])
    assert [user["firstName"] for user in users[:2]] == ["Ada", "Alan"]
    ada = users[0]
    assert nodes(ada["purchases"])[0]["item"] == {"name": "Backpack", "price": 49.99}
    assert nodes(ada["purchases"])[0]["status"] == "SUCCEEDED"


async def test_buys_and_hears_both_email_outcomes_through_the_subscription(router_url):
    bought = {}
    for item_id in (TABLE, LAMP):
        result = await execute(router_url, PURCHASE, userId="2", itemId=item_id)
        bought[item_id] = result["purchase"]
    assert bought[TABLE]["status"] == "SUCCEEDED" and bought[TABLE]["price"] == 10
    assert bought[LAMP]["status"] == "REJECTED" and bought[LAMP]["price"] == 50
    assert bought[TABLE]["user"] == {"firstName": "Alan"}  # resolved by the users subgraph

    confirmation, rejection = await asyncio.gather(
        follow_over_websocket(router_url, bought[TABLE]["id"]),
        follow_over_websocket(router_url, bought[LAMP]["id"]),
    )
    for states, kind, item in (
        (confirmation, "CONFIRMATION", "Table"),
        (rejection, "REJECTION", "Lamp"),
    ):
        assert states[-1]["email"]["kind"] == kind
        assert states[-1]["email"]["recipient"] == "alan.turing@example.com"
        assert item in states[-1]["email"]["subject"]

    users = nodes((await execute(router_url, USERS_WITH_PURCHASES))["users"])
    alan = next(user for user in users if user["firstName"] == "Alan")
    assert [
        (p["item"]["name"], p["status"], p["email"]["kind"]) for p in nodes(alan["purchases"])[:2]
    ] == [
        ("Lamp", "REJECTED", "REJECTION"),
        ("Table", "SUCCEEDED", "CONFIRMATION"),
    ]
