"""The warehouse's API with exactly the documented bodies and answers, bad input on each
route, the admin rule, the events it publishes, and the sales it counts."""

import json
import uuid

import aio_pika
import pytest

from tests.support import QueueReader, eventually

CATALOG = """
query($first: Int!, $after: String) {
  catalog(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name quantity } }
  }
}"""
CREATE = """mutation($input: NewItemInput!) {
  createItem(input: $input) { id name price quantity active version } }"""
UPDATE = """mutation($id: ID!, $input: ItemPatchInput!) {
  updateItem(id: $id, input: $input) { id price quantity version } }"""
ADJUST = """mutation($id: ID!, $delta: Int!) {
  adjustStock(itemId: $id, delta: $delta, reason: "restock") { id quantity } }"""
ACTIVE = "mutation($id: ID!, $a: Boolean!) { setItemActive(id: $id, active: $a) { id active } }"


async def gql(client, query, headers=None, **variables) -> dict:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    return response.json()


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


async def test_the_seed_is_the_shops_round_one_items_untracked(client):
    items = (await client.get("/api/items")).json()
    assert [(i["id"], i["name"], i["price"]) for i in items[:10]] == [
        (1, "Table", 10.0),
        (2, "Chair", 20.0),
        (3, "Lamp", 50.0),
        (4, "Laptop", 1000.0),
        (5, "Notebook", 4.99),
        (6, "Mug", 8.5),
        (7, "Backpack", 49.99),
        (8, "Headphones", 79.0),
        (9, "Monitor", 250.0),
        (10, "Desk Lamp", 50.01),
    ]
    assert all(i["quantity"] is None and i["active"] for i in items[:10])


async def test_post_item_exactly_as_documented(client, tokens):
    name = unique("Parrot food")
    response = await client.post(
        "/api/item", json={"item": {"name": name, "price": 12}}, headers=tokens["admin"]
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created == {
        "id": created["id"],
        "name": name,
        "description": "",
        "price": 12.0,
        "quantity": None,
        "active": True,
    }
    full = await client.post(
        "/api/item",
        json={"item": {"name": unique("Seeds"), "price": 3.5, "description": "d", "quantity": 7}},
        headers=tokens["admin"],
    )
    assert full.status_code == 201
    assert (full.json()["price"], full.json()["quantity"]) == (3.5, 7)
    listed = {i["id"]: i for i in (await client.get("/api/items")).json()}
    assert listed[created["id"]] == created


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "item"),
        ({"item": {"price": 1}}, "name"),
        ({"item": {"name": "x"}}, "price"),
        ({"item": {"name": "", "price": 1}}, "name"),
        ({"item": {"name": "x", "price": -1}}, "price"),
        ({"item": {"name": "x", "price": "cheap"}}, "price"),
        ({"item": {"name": "x", "price": 1.234}}, "price"),
        ({"item": {"name": "x", "price": 1, "quantity": -1}}, "quantity"),
        ({"item": {"name": "x", "price": 1, "quantity": 1.5}}, "quantity"),
        ({"item": {"name": "x", "price": 1, "colour": "red"}}, "colour"),
    ],
)
async def test_post_item_bad_input_is_a_422_naming_the_field(client, tokens, body, field):
    before = len((await client.get("/api/items")).json())
    response = await client.post("/api/item", json=body, headers=tokens["admin"])
    assert response.status_code == 422, response.text
    assert field in response.json()["detail"][0]["loc"]
    assert len((await client.get("/api/items")).json()) == before


async def test_a_taken_name_is_a_409(client, tokens):
    response = await client.post(
        "/api/item", json={"item": {"name": "Table", "price": 1}}, headers=tokens["admin"]
    )
    assert response.status_code == 409


async def test_toggle_status_answers_ok_and_flips_active(client, tokens):
    created = (
        await client.post(
            "/api/item",
            json={"item": {"name": unique("Perch"), "price": 5}},
            headers=tokens["admin"],
        )
    ).json()
    response = await client.put(
        f"/api/items/{created['id']}/toggle_status", headers=tokens["admin"]
    )
    assert (response.status_code, response.json()) == (200, "ok")
    listed = {i["id"]: i for i in (await client.get("/api/items")).json()}
    assert listed[created["id"]]["active"] is False
    await client.put(f"/api/items/{created['id']}/toggle_status", headers=tokens["admin"])
    listed = {i["id"]: i for i in (await client.get("/api/items")).json()}
    assert listed[created["id"]]["active"] is True
    missing = await client.put("/api/items/424242/toggle_status", headers=tokens["admin"])
    assert missing.status_code == 404
    assert (
        await client.put("/api/items/x/toggle_status", headers=tokens["admin"])
    ).status_code == 404


async def test_patch_changes_only_what_is_given(client, tokens):
    created = (
        await client.post(
            "/api/item",
            json={"item": {"name": unique("Cage"), "price": 40, "quantity": 2}},
            headers=tokens["admin"],
        )
    ).json()
    response = await client.patch(
        f"/api/items/{created['id']}", json={"price": 45.5, "quantity": 5}, headers=tokens["admin"]
    )
    assert response.status_code == 200, response.text
    assert response.json() == {**created, "price": 45.5, "quantity": 5}
    for body, field in [
        ({"price": -2}, "price"),
        ({"quantity": -1}, "quantity"),
        ({"name": ""}, "name"),
        ({"stock": 3}, "stock"),
    ]:
        bad = await client.patch(f"/api/items/{created['id']}", json=body, headers=tokens["admin"])
        assert bad.status_code == 422, body
        assert field in bad.json()["detail"][0]["loc"]
    missing = await client.patch("/api/items/424242", json={"price": 1}, headers=tokens["admin"])
    assert missing.status_code == 404


async def test_every_write_is_an_admins(client, tokens):
    writes = [
        ("POST", "/api/item", {"item": {"name": unique("Nope"), "price": 1}}),
        ("PUT", "/api/items/1/toggle_status", None),
        ("PATCH", "/api/items/1", {"price": 2}),
    ]
    for method, path, body in writes:
        anonymous = await client.request(method, path, json=body)
        assert anonymous.status_code == 401, (method, path)
        assert anonymous.headers["www-authenticate"] == "Bearer"
        customer = await client.request(method, path, json=body, headers=tokens["customer"])
        assert customer.status_code == 403, (method, path)
    for mutation, variables in [
        (CREATE, {"input": {"name": unique("Nope"), "price": 1}}),
        (UPDATE, {"id": "1", "input": {"price": 2}}),
        (ACTIVE, {"id": "1", "a": False}),
        (ADJUST, {"id": "1", "delta": 1}),
    ]:
        anonymous = await gql(client, mutation, **variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        customer = await gql(client, mutation, tokens["customer"], **variables)
        assert customer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    table = (await client.get("/api/items")).json()[0]
    assert (table["price"], table["active"], table["quantity"]) == (10.0, True, None)


async def test_graphql_writes_and_bad_input(client, tokens):
    admin = tokens["admin"]
    created = (await gql(client, CREATE, admin, input={"name": unique("Swing"), "price": 9.5}))[
        "data"
    ]["createItem"]
    assert (created["quantity"], created["active"], created["version"]) == (None, True, 1)
    updated = (await gql(client, UPDATE, admin, id=created["id"], input={"quantity": 3}))["data"]
    assert updated["updateItem"]["quantity"] == 3 and updated["updateItem"]["version"] == 2
    adjusted = (await gql(client, ADJUST, admin, id=created["id"], delta=4))["data"]
    assert adjusted["adjustStock"]["quantity"] == 7
    too_many = await gql(client, ADJUST, admin, id=created["id"], delta=-8)
    assert too_many["errors"][0]["extensions"]["code"] == "CONFLICT"
    bad = await gql(client, CREATE, admin, input={"name": "x", "price": -1})
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "price"}
    bad = await gql(client, UPDATE, admin, id=created["id"], input={"quantity": -1})
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "quantity"}
    off = (await gql(client, ACTIVE, admin, id=created["id"], a=False))["data"]["setItemActive"]
    assert off == {"id": created["id"], "active": False}
    missing = await gql(client, ACTIVE, admin, id="424242", a=False)
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_catalog_pages_by_cursor(client):
    total = len((await client.get("/api/items")).json())
    seen, after, pages = [], None, 0
    while True:
        page = (await gql(client, CATALOG, first=4, after=after))["data"]["catalog"]
        assert page["totalCount"] == total
        seen += [edge["node"]["id"] for edge in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert seen == sorted(seen, key=int) and len(seen) == total == len(set(seen))
    assert pages == -(-total // 4)
    too_many = await gql(client, CATALOG, first=101)
    assert too_many["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    bad_cursor = await gql(client, CATALOG, first=2, after="nonsense")
    assert bad_cursor["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


async def test_rest_pages_with_a_link_header(client):
    everything = (await client.get("/api/items")).json()
    seen, url = [], "/api/items?limit=3"
    while url:
        response = await client.get(url)
        assert response.status_code == 200
        assert len(response.json()) <= 3
        seen += response.json()
        link = response.headers.get("link")
        url = link[1 : link.index(">")].removeprefix("http://app") if link else None
    assert seen == everything
    assert (await client.get("/api/items?limit=0")).status_code == 422
    assert (await client.get("/api/items?limit=101")).status_code == 422
    assert (await client.get("/api/items?limit=2&after=zz")).status_code == 422


async def test_changes_are_published_with_a_growing_version_and_stock_deltas(
    client, tokens, broker
):
    catalog = QueueReader(broker, "purchases.catalog")
    await catalog.drain()
    admin = tokens["admin"]
    created = (
        await client.post(
            "/api/item",
            json={"item": {"name": unique("Bell"), "price": 7, "quantity": 5}},
            headers=admin,
        )
    ).json()
    await client.patch(f"/api/items/{created['id']}", json={"quantity": 8}, headers=admin)
    await client.patch(f"/api/items/{created['id']}", json={"price": 6}, headers=admin)

    async def about_item() -> list[dict]:
        await catalog.drain()
        mine = [
            b
            for b in catalog.bodies
            if b.get("item", {}).get("id") == created["id"] or b.get("item_id") == created["id"]
        ]
        return mine if len(mine) >= 4 else []

    events = await eventually(about_item)
    assert [e.get("change", "stock") for e in events] == ["created", "stock", "updated", "updated"]
    assert events[0]["item"]["quantity"] == 5 and events[0]["item"]["version"] == 1
    assert (events[1]["delta"], events[1]["reason"]) == (3, "quantity set")
    assert [e["item"]["version"] for e in (events[2], events[3])] == [2, 3]
    assert events[3]["item"]["price"] == 6.0 and events[3]["item"]["quantity"] == 8


async def test_sales_are_counted_once_each(client, tokens, broker):
    admin = tokens["admin"]
    created = (
        await client.post(
            "/api/item",
            json={"item": {"name": unique("Toy"), "price": 4, "quantity": 10}},
            headers=admin,
        )
    ).json()
    sale = {
        "event_id": str(uuid.uuid4()),
        "occurred_at": "2026-01-01T00:00:00Z",
        "purchase_id": str(uuid.uuid4()),
        "status": "succeeded",
        "user": {"id": 1, "email": "a@example.com", "first_name": "A", "last_name": "L"},
        "item": {"id": created["id"], "name": created["name"], "price": 4.0},
        "quantity": 2,
    }
    for _ in range(3):  # a redelivered event counts once
        await broker.publish("purchase.succeeded", json.dumps(sale).encode(), sale["event_id"])

    async def on_hand() -> bool:
        items = {i["id"]: i for i in (await client.get("/api/items")).json()}
        return items[created["id"]]["quantity"] == 8

    await eventually(on_hand)
    # Setting the quantity moves it by the difference from what is known now (8).
    reader = QueueReader(broker, "purchases.catalog")
    await reader.drain()
    await client.patch(f"/api/items/{created['id']}", json={"quantity": 20}, headers=admin)

    async def delta() -> list[dict]:
        await reader.drain()
        return [b for b in reader.bodies if b.get("item_id") == created["id"]]

    assert (await eventually(delta))[0]["delta"] == 12


async def test_a_paid_order_counts_every_line_once_and_a_cancelled_one_nothing(
    client, tokens, broker
):
    admin = tokens["admin"]

    async def new_item(quantity: int) -> dict:
        body = {"item": {"name": unique("Perch"), "price": 3, "quantity": quantity}}
        return (await client.post("/api/item", json=body, headers=admin)).json()

    first, second = await new_item(10), await new_item(5)
    user = {"id": 1, "email": "a@example.com", "first_name": "A", "last_name": "L"}
    lines = [
        {"item_id": first["id"], "name": first["name"], "quantity": 3, "unit_price": 3.0},
        {"item_id": second["id"], "name": second["name"], "quantity": 1, "unit_price": 3.0},
    ]

    def settled(status: str) -> dict:
        return {
            "event_id": str(uuid.uuid4()),
            "occurred_at": "2026-01-01T00:00:00Z",
            "order_id": str(uuid.uuid4()),
            "status": status,
            "user": user,
            "lines": lines,
            "total": 12.0,
        }

    cancelled = settled("cancelled") | {"reason": "payment_timeout"}
    paid = settled("paid")
    # order.cancelled is not bound to this queue: published straight to it, it counts nothing.
    sales = broker.queues["inventory.sales"]
    await broker.channel.default_exchange.publish(
        aio_pika.Message(json.dumps(cancelled).encode(), type="order.cancelled"), sales.name
    )
    for _ in range(3):  # a redelivered event counts once
        await broker.publish("order.paid", json.dumps(paid).encode(), paid["event_id"])

    async def on_hand() -> dict | None:
        items = {i["id"]: i["quantity"] for i in (await client.get("/api/items")).json()}
        found = {"first": items[first["id"]], "second": items[second["id"]]}
        return found if found == {"first": 7, "second": 4} else None

    await eventually(on_hand)
    # Give a second count (if there were one) the time to land, then look again.
    await broker.publish("order.paid", json.dumps(paid).encode(), paid["event_id"])
    marker = {**paid, "event_id": str(uuid.uuid4()), "lines": [lines[1]]}
    await broker.publish("order.paid", json.dumps(marker).encode(), marker["event_id"])

    async def marker_counted() -> bool:
        items = {i["id"]: i["quantity"] for i in (await client.get("/api/items")).json()}
        return items[second["id"]] == 3

    await eventually(marker_counted)
    items = {i["id"]: i["quantity"] for i in (await client.get("/api/items")).json()}
    assert items[first["id"]] == 7
