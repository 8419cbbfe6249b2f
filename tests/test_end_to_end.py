"""The whole system as `make dev` runs it: real processes, through the router, over HTTP and WS."""

import asyncio

import pytest
from gql import Client, GraphQLRequest
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport

USERS_WITH_PURCHASES = """
query UsersWithPurchases {
  users { id firstName email purchases { status item { name price } email { kind } } }
}"""
PURCHASE = """
mutation Buy($userId: ID!, $itemId: ID!) {
  purchase(userId: $userId, itemId: $itemId) { id status price item { name } user { firstName } }
}"""
PURCHASE_UPDATED = """
subscription Follow($id: ID!) {
  purchaseUpdated(id: $id) { id status email { kind recipient subject sentAt } }
}"""
TABLE, LAMP = "1", "3"  # seeded at 10 and 50


@pytest.fixture(scope="module")
def router_url(system) -> str:
    return system.graphql_url


async def execute(router_url: str, query: str, **variables) -> dict:
    async with Client(transport=HTTPXAsyncTransport(url=router_url, timeout=10)) as session:
        return await session.execute(GraphQLRequest(query, variable_values=variables))


async def follow_until_emailed(router_url: str, purchase_id: str) -> list[dict]:
    """Every state `purchaseUpdated` sends over graphql-transport-ws, until it completes."""
    ws_url = router_url.replace("http://", "ws://")
    transport = WebsocketsTransport(url=ws_url, subprotocols=["graphql-transport-ws"])
    states = []
    async with asyncio.timeout(30), Client(transport=transport) as session:
        request = GraphQLRequest(PURCHASE_UPDATED, variable_values={"id": purchase_id})
        async for result in session.subscribe(request):
            states.append(result["purchaseUpdated"])
    return states


async def test_reads_users_with_nested_purchases_from_both_subgraphs_in_one_query(router_url):
    data = await execute(router_url, USERS_WITH_PURCHASES)
    assert [user["firstName"] for user in data["users"][:2]] == ["Ada", "Alan"]
    assert all(isinstance(user["purchases"], list) for user in data["users"])


async def test_buys_and_hears_both_email_outcomes_through_the_subscription(router_url):
    bought = {}
    for item_id in (TABLE, LAMP):
        result = await execute(router_url, PURCHASE, userId="2", itemId=item_id)
        bought[item_id] = result["purchase"]
    assert bought[TABLE]["status"] == "SUCCEEDED" and bought[TABLE]["price"] == 10
    assert bought[LAMP]["status"] == "REJECTED" and bought[LAMP]["price"] == 50
    assert bought[TABLE]["user"] == {"firstName": "Alan"}  # resolved by the users subgraph

    confirmation, rejection = await asyncio.gather(
        follow_until_emailed(router_url, bought[TABLE]["id"]),
        follow_until_emailed(router_url, bought[LAMP]["id"]),
    )
    for states, kind, item in (
        (confirmation, "CONFIRMATION", "Table"),
        (rejection, "REJECTION", "Lamp"),
    ):
        assert states[-1]["email"]["kind"] == kind
        assert states[-1]["email"]["recipient"] == "alan.turing@example.com"
        assert item in states[-1]["email"]["subject"]

    users = (await execute(router_url, USERS_WITH_PURCHASES))["users"]
    alan = next(user for user in users if user["firstName"] == "Alan")
    assert [
        (p["item"]["name"], p["status"], p["email"]["kind"]) for p in alan["purchases"][:2]
    ] == [
        ("Lamp", "REJECTED", "REJECTION"),
        ("Table", "SUCCEEDED", "CONFIRMATION"),
    ]
