"""The orders in GraphQL: the checkout mutation (its errors coded as the contract says), the
order read back, and `User.orders` batched over a page of users."""

from redis.asyncio import Redis

from tests.support import REDIS_URL, recorded_sql

from .shop import stocked_item

CHECKOUT = """
mutation($user: ID!, $items: [CheckoutLine!]!, $payment: PaymentInput, $key: String) {
  checkout(userId: $user, items: $items, payment: $payment, idempotencyKey: $key) {
    id status total reason paymentError placedAt email { kind }
    user { id }
    lines { quantity unitPrice lineTotal item { id name quantity } }
  }
}"""
ORDER = "query($id: ID!) { order(id: $id) { id status total lines { quantity } } }"
ORDERS_OF_USERS = """
query($r: [_Any!]!, $first: Int!, $after: String) {
  _entities(representations: $r) {
    ... on User {
      id
      orders(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id total lines { quantity item { name } } } }
      }
    }
  }
}"""


async def graphql(client, query: str, **variables) -> dict:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()


async def test_checkout_places_the_order_and_it_reads_back(client, broker):
    perch = await stocked_item(client, broker, 5, price=19.99)
    result = await graphql(
        client,
        CHECKOUT,
        user="1",
        items=[{"itemId": str(perch), "quantity": 2}, {"itemId": "1"}],
        payment={"method": "CARD", "card": "4242424242424242"},
    )
    order = result["data"]["checkout"]
    assert (order["status"], order["total"], order["reason"]) == ("AWAITING_PAYMENT", 49.98, None)
    assert order["user"] == {"id": "1"}
    assert order["lines"] == [
        {
            "quantity": 2,
            "unitPrice": 19.99,
            "lineTotal": 39.98,
            "item": {"id": str(perch), "name": f"Perch {perch}", "quantity": 3},
        },
        {
            "quantity": 1,
            "unitPrice": 10.0,
            "lineTotal": 10.0,
            "item": {"id": "1", "name": "Table", "quantity": None},
        },
    ]
    read = (await graphql(client, ORDER, id=order["id"]))["data"]["order"]
    assert read == {
        "id": order["id"],
        "status": "AWAITING_PAYMENT",
        "total": 49.98,
        "lines": [{"quantity": 2}, {"quantity": 1}],
    }
    assert (await graphql(client, ORDER, id="not-an-id"))["data"]["order"] is None


async def test_checkout_errors_carry_the_contracts_codes(client, broker):
    perch = await stocked_item(client, broker, 1)
    gone = await stocked_item(client, broker, 1, active=False)

    async def code(user="1", **line) -> dict:
        items = [{"itemId": str(perch)} | line] if line else []
        error = (await graphql(client, CHECKOUT, user=user, items=items))["errors"][0]
        return error["extensions"]

    assert (await code())["code"] == "BAD_USER_INPUT"  # no line
    assert (await code(quantity=0))["code"] == "BAD_USER_INPUT"
    assert (await code(quantity=101))["code"] == "BAD_USER_INPUT"
    assert (await code(user="987654", quantity=1))["code"] == "NOT_FOUND"
    assert (await code(itemId="1999999999"))["code"] == "NOT_FOUND"
    assert (await code(itemId=str(gone)))["code"] == "CONFLICT"
    short = await graphql(client, CHECKOUT, user="1", items=[{"itemId": str(perch), "quantity": 2}])
    assert short["errors"][0]["message"] == f"not enough stock of item {perch}"
    assert short["errors"][0]["extensions"] == {
        "code": "CONFLICT",
        "field": "items",
        "shortItems": [perch],
    }
    twice = [{"itemId": str(perch)}, {"itemId": str(perch)}]
    result = await graphql(client, CHECKOUT, user="1", items=twice)
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_user_orders_page_by_cursor_and_cost_the_same_sql_for_3_or_60_users(
    client, app, stack
):
    for user_id in (1, 2, 3):
        for _ in range(2):
            await graphql(client, CHECKOUT, user=str(user_id), items=[{"itemId": "1"}])
    keep = lambda statement: "FROM orders" in statement or "FROM order_lines" in statement  # noqa: E731
    counts = {}
    redis = Redis.from_url(REDIS_URL)
    with recorded_sql(app.state.engine, keep) as statements:
        for how_many in (3, 60):
            representations = [{"__typename": "User", "id": str(i)} for i in range(1, how_many + 1)]
            await redis.incr(f"{stack.namespace}fedshop:items:generation")
            statements.clear()
            result = await graphql(client, ORDERS_OF_USERS, r=representations, first=1)
            entities = result["data"]["_entities"]
            assert len(entities) == how_many
            assert all(e["orders"]["pageInfo"]["hasNextPage"] for e in entities[:3])
            counts[how_many] = len(statements)
    await redis.aclose()
    assert counts == {3: 2, 60: 2}  # one query for the orders, one for their lines

    first = entities[0]["orders"]
    after = first["pageInfo"]["endCursor"]
    second = await graphql(
        client, ORDERS_OF_USERS, r=[{"__typename": "User", "id": "1"}], first=1, after=after
    )
    following = second["data"]["_entities"][0]["orders"]
    assert following["totalCount"] == first["totalCount"]
    assert following["edges"][0]["node"]["id"] != first["edges"][0]["node"]["id"]
