"""The shop's copy of the catalog, fed by item and stock events: duplicates and out-of-order
events change nothing twice, an older version never wins; the sellable stock decides a
purchase (sold out: rejected, out_of_stock); an inactive item is not for sale."""

import json
import random
import uuid

from fedshop_common.events import CatalogItem, ItemChange, ItemChanged, StockAdjusted

from tests.support import QueueReader, eventually


def item_event(item_id: int, version: int, change=ItemChange.UPDATED, **fields) -> ItemChanged:
    values = {"name": f"Seed {item_id}", "price": 5, "quantity": None, "active": True} | fields
    return ItemChanged(change=change, item=CatalogItem(id=item_id, version=version, **values))


async def send(broker, event) -> None:
    await broker.publish(event.routing_key, event.model_dump_json().encode(), str(event.event_id))


def new_id() -> int:
    return random.randint(10_000, 2_000_000_000)


async def item_in_shop(client, item_id: int) -> dict | None:
    return {i["id"]: i for i in (await client.get("/items")).json()}.get(item_id)


async def settled(client, item_id: int, **expected) -> dict:
    async def probe() -> dict | None:
        found = await item_in_shop(client, item_id)
        if found and all(found.get(k) == v for k, v in expected.items()):
            return found
        return None

    return await eventually(probe)


async def test_a_new_item_and_its_stock_arrive_and_sell_until_sold_out(client, broker):
    item_id = new_id()
    await send(broker, item_event(item_id, 1, ItemChange.CREATED, quantity=2))
    await settled(client, item_id, quantity=2, price=5.0)
    statuses = []
    for _ in range(3):
        response = await client.post("/purchase", json={"user_id": 1, "item_id": item_id})
        assert response.status_code == 201, response.text
        statuses.append((response.json()["status"], response.json()["reason"]))
    assert statuses == [("succeeded", None), ("succeeded", None), ("rejected", "out_of_stock")]
    assert (await item_in_shop(client, item_id))["quantity"] == 0
    # A restock adds to the counter.
    await send(broker, StockAdjusted(item_id=item_id, delta=3, reason="restock"))
    await settled(client, item_id, quantity=3)


async def test_the_sold_out_rejection_event_says_why(client, broker):
    item_id = new_id()
    await send(broker, item_event(item_id, 1, ItemChange.CREATED, quantity=0))
    await settled(client, item_id, quantity=0)
    reader = QueueReader(broker, "email-worker.purchases")
    bought = (await client.post("/purchase", json={"user_id": 2, "item_id": item_id})).json()
    (event,) = await reader.about(bought["id"])
    assert (event["status"], event["reason"], event["quantity"]) == ("rejected", "out_of_stock", 1)
    dear = (await client.post("/purchase", json={"user_id": 2, "item_id": 3})).json()
    assert (dear["status"], dear["reason"]) == ("rejected", "price_limit")
    (event,) = await reader.about(dear["id"])
    assert event["reason"] == "price_limit"


async def test_duplicate_and_out_of_order_events_change_nothing_twice(client, broker):
    item_id = new_id()
    created = item_event(item_id, 1, ItemChange.CREATED, quantity=5, price=7)
    restock = StockAdjusted(item_id=item_id, delta=4, reason="restock")
    # Item events carry the warehouse's count, which never overwrites the shop's counter...
    newer = item_event(item_id, 3, price=9, name="Newest name", quantity=1)
    older = item_event(item_id, 2, price=8, name="Older name", quantity=2)
    for event in (created, created, restock, newer, restock, older, created, newer):
        await send(broker, event)
    marker = item_event(item_id, 4, price=9, name="Newest name", quantity=1)
    await send(broker, marker)  # the last one: once applied, all before it were
    found = await settled(client, item_id, name="Newest name", quantity=9)
    assert found == {"id": item_id, "name": "Newest name", "price": 9.0, "quantity": 9}
    await send(broker, older)
    await send(broker, restock)
    await send(broker, marker)
    assert await item_in_shop(client, item_id) == found
    # ...except that an item the warehouse stops counting is unlimited.
    await send(broker, item_event(item_id, 5, price=9, name="Newest name", quantity=None))
    await settled(client, item_id, quantity=None)


async def test_a_delta_before_its_item_waits_and_counts_once(client, broker):
    item_id = new_id()
    restock = StockAdjusted(item_id=item_id, delta=6, reason="first stock")
    await send(broker, restock)  # the item is not known yet: retried, not lost
    await send(broker, item_event(item_id, 1, ItemChange.CREATED, quantity=0))
    await settled(client, item_id, quantity=6)


async def test_an_inactive_item_is_not_for_sale_and_not_listed(client, broker, count_rows):
    item_id = new_id()
    await send(broker, item_event(item_id, 1, ItemChange.CREATED))
    await settled(client, item_id)
    await send(broker, item_event(item_id, 2, active=False))

    async def gone() -> bool:
        return await item_in_shop(client, item_id) is None

    await eventually(gone)
    before = count_rows()
    response = await client.post("/purchase", json={"user_id": 1, "item_id": item_id})
    assert response.status_code == 409, response.text
    mutation = "mutation($i: ID!) { purchase(userId: 1, itemId: $i) { id } }"
    answer = await client.post("/graphql", json={"query": mutation, "variables": {"i": item_id}})
    assert answer.json()["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert count_rows() == before


async def test_untracked_items_keep_the_price_rule(client):
    for item_id, status in ((7, "succeeded"), (3, "rejected")):
        bought = (await client.post("/purchase", json={"user_id": 1, "item_id": item_id})).json()
        assert bought["status"] == status


async def test_items_page_with_a_link_header(client):
    everything = (await client.get("/api/items")).json()
    assert everything == (await client.get("/items")).json()
    seen, url = [], "/items?limit=4"
    while url:
        response = await client.get(url)
        seen += response.json()
        link = response.headers.get("link")
        url = link[1 : link.index(">")].removeprefix("http://app") if link else None
    assert seen == everything
    assert (await client.get("/items?limit=2&after=bad")).status_code == 422
    assert json.loads((await client.get("/items?limit=500")).text)["detail"][0]["loc"] == [
        "query",
        "limit",
    ]


async def test_a_malformed_catalog_event_is_parked(client, broker):
    body = json.dumps({"change": "updated", "item": {"id": "x"}}).encode()
    await broker.publish("item.updated", body, str(uuid.uuid4()))
    dlq = await broker.dlq("purchases.catalog")

    async def parked() -> bool:
        return (await dlq.declare()).message_count > 0

    await eventually(parked)
