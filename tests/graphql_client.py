"""What the cross-service tests send through the router with gql: operations and two calls."""

import asyncio

from gql import Client, GraphQLRequest
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport

PURCHASE = """
mutation Buy($userId: ID!, $itemId: ID!) {
  purchase(userId: $userId, itemId: $itemId) { id status price item { name } user { firstName } }
}"""
PURCHASE_UPDATED = """
subscription Follow($id: ID!) {
  purchaseUpdated(id: $id) { id status email { kind recipient subject sentAt } }
}"""
TABLE, LAMP = "1", "3"  # seeded at 10 and 50


async def execute(url: str, query: str, headers: dict | None = None, **variables) -> dict:
    """A query or mutation over HTTP; a GraphQL error raises TransportQueryError."""
    transport = HTTPXAsyncTransport(url=url, headers=headers, timeout=10)
    async with Client(transport=transport) as session:
        return await session.execute(GraphQLRequest(query, variable_values=variables))


async def follow_over_websocket(
    url: str, purchase_id: str, headers: dict | None = None, init_payload: dict | None = None
) -> list:
    """Every state `purchaseUpdated` sends over graphql-transport-ws, until it completes.
    `init_payload`: the connection params (e.g. `{"Authorization": "Bearer …"}`)."""
    transport = WebsocketsTransport(
        url=url.replace("http://", "ws://"),
        headers=headers,
        subprotocols=["graphql-transport-ws"],
        init_payload=init_payload or {},
    )
    states = []
    async with asyncio.timeout(30), Client(transport=transport) as session:
        request = GraphQLRequest(PURCHASE_UPDATED, variable_values={"id": purchase_id})
        async for result in session.subscribe(request):
            states.append(result["purchaseUpdated"])
    return states


def nodes(connection: dict | None) -> list[dict]:
    """The nodes of a GraphQL connection (`edges { node }`), in order."""
    return [edge["node"] for edge in (connection or {}).get("edges", [])]
