"""The purchases subgraph's GraphQL: batched nested lists, idempotent mutation, clear errors."""

import uuid

import pytest
from redis.asyncio import Redis

from tests.support import REDIS_URL, recorded_sql

TABLE, LAMP = "1", "3"
PURCHASES_OF_USERS = """
query($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on User { id purchases { edges { node { status item { name } } } } }
  }
}"""
BUY = """
mutation($user: ID!, $item: ID!, $key: String) {
  purchase(userId: $user, itemId: $item, idempotencyKey: $key) { id status price item { name } }
}"""


async def graphql(client, query: str, **variables) -> dict:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def sql_statements(app, client):
    # Only the reads of purchases and items: the outbox relay shares the engine.
    keep = lambda statement: "FROM purchases" in statement or "FROM items" in statement  # noqa: E731
    with recorded_sql(app.state.engine, keep) as statements:
        yield statements


async def test_nested_purchases_and_items_cost_the_same_sql_for_3_or_300_users(
    client, stack, sql_statements
):
    for user_id in (1, 2, 3):
        await graphql(client, BUY, user=str(user_id), item=TABLE)
    counts = {}
    redis = Redis.from_url(REDIS_URL)
    for how_many in (3, 300):
        representations = [{"__typename": "User", "id": str(i)} for i in range(1, how_many + 1)]
        await redis.incr(f"{stack.namespace}fedshop:items:generation")  # the items not cached
        sql_statements.clear()
        result = await graphql(client, PURCHASES_OF_USERS, r=representations)
        assert len(result["data"]["_entities"]) == how_many
        assert all(
            e["purchases"]["edges"][0]["node"]["item"] == {"name": "Table"}
            for e in result["data"]["_entities"][:3]
        )
        counts[how_many] = len(sql_statements)
    await redis.aclose()
    assert counts == {3: 2, 300: 2}  # one query for the purchases, one for their items


async def test_the_mutation_applies_the_price_rule(client):
    cheap = (await graphql(client, BUY, user="1", item=TABLE))["data"]["purchase"]
    dear = (await graphql(client, BUY, user="1", item=LAMP))["data"]["purchase"]
    assert (cheap["status"], cheap["price"]) == ("SUCCEEDED", 10.0)
    assert (dear["status"], dear["price"]) == ("REJECTED", 50.0)


async def test_a_repeated_idempotency_key_returns_the_first_purchase(client):
    key = str(uuid.uuid4())
    first = (await graphql(client, BUY, user="2", item=TABLE, key=key))["data"]["purchase"]
    again = (await graphql(client, BUY, user="2", item=TABLE, key=key))["data"]["purchase"]
    assert again == first


@pytest.mark.parametrize(
    ("user", "item", "message"),
    [
        ("424242", TABLE, "user 424242 not found"),
        ("1", "424242", "item 424242 not found"),
        ("x", TABLE, "user x not found"),
        ("1", "-1", "item -1 not found"),
    ],
)
async def test_unknown_user_or_item_is_not_found_and_writes_nothing(
    client, count_rows, user, item, message
):
    before = count_rows()
    result = await graphql(client, BUY, user=user, item=item)
    assert count_rows() == before
    assert result["data"] is None
    [error] = result["errors"]
    assert (error["message"], error["extensions"]["code"]) == (message, "NOT_FOUND")


async def test_queries_read_items_and_purchases(client):
    created = (await graphql(client, BUY, user="3", item=LAMP))["data"]["purchase"]
    result = await graphql(
        client,
        'query($id: ID!) { items { name price } item(id: "7") { name } purchase(id: $id) { id '
        'status email { kind } user { id } } nope: purchase(id: "x") { id } }',
        id=created["id"],
    )
    assert {"name": "Backpack", "price": 49.99} in result["data"]["items"]
    assert result["data"]["item"] == {"name": "Backpack"}
    assert result["data"]["purchase"] == {
        "id": created["id"],
        "status": "REJECTED",
        "email": None,
        "user": {"id": "3"},
    }
    assert result["data"]["nope"] is None


@pytest.mark.parametrize("key", ["", "nul\u0000inside"])
async def test_an_empty_or_unprintable_idempotency_key_is_bad_user_input(client, key):
    for _ in range(2):
        result = await graphql(client, BUY, user="2", item=TABLE, key=key)
        assert result["errors"][0]["extensions"] == {
            "code": "BAD_USER_INPUT",
            "field": "idempotencyKey",
        }


PAGE_OF_PURCHASES = """
query($r: [_Any!]!, $first: Int!, $after: String) {
  _entities(representations: $r) { ... on User {
    purchases(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } }
    }
  } }
}"""


async def test_a_users_purchases_page_by_cursor_newest_first(client):
    user = [{"__typename": "User", "id": "4"}]
    bought = [(await graphql(client, BUY, user="4", item=TABLE))["data"]["purchase"]["id"]]
    for _ in range(4):
        bought.append((await graphql(client, BUY, user="4", item=TABLE))["data"]["purchase"]["id"])
    seen, after = [], None
    while True:
        result = await graphql(client, PAGE_OF_PURCHASES, r=user, first=2, after=after)
        page = result["data"]["_entities"][0]["purchases"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert page["totalCount"] == len(seen) >= 5
    assert seen[:5] == list(reversed(bought))[:5] or set(bought) <= set(seen)
    too_many = await graphql(client, PAGE_OF_PURCHASES, r=user, first=101)
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
