"""Checkout: every line's stock reserved at once or none; each bad input alone is refused and
writes nothing; racing buyers of the last units; idempotency keys per user; the order read
back and a user's orders and purchases a page at a time."""

import asyncio
import uuid

import httpx
import pytest

from tests.support import QueueReader

from .shop import checkout, stock_of, stocked_item

TABLE = 1  # a seeded, untracked item at 10.00
ADA, ALAN = 1, 2


@pytest.fixture
async def order_events(broker):
    reader = QueueReader(broker, "test-observer.orders")
    await reader.drain()
    return reader


async def test_a_checkout_reserves_every_line_and_places_the_order(client, broker, order_events):
    perch = await stocked_item(client, broker, 5, price=19.99)
    seed = await stocked_item(client, broker, 3, price=2.5)
    response = await checkout(
        client,
        ADA,
        [
            {"item_id": perch, "quantity": 3},
            {"item_id": seed, "quantity": 3},
            {"item_id": TABLE, "quantity": 1},
        ],
        payment={"method": "card", "card": "4242424242424242"},
    )
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "awaiting_payment"
    assert (order["reason"], order["payment_error"], order["email"]) == (None, None, None)
    assert order["total"] == 77.47  # 3 x 19.99 + 3 x 2.50 + 10
    assert [(line["item_id"], line["quantity"], line["unit_price"]) for line in order["lines"]] == [
        (perch, 3, 19.99),
        (seed, 3, 2.5),
        (TABLE, 1, 10.0),
    ]
    assert order["lines"][0]["name"] == f"Perch {perch}"
    assert (await stock_of(client, perch), await stock_of(client, seed)) == (2, 0)
    assert await stock_of(client, TABLE) is None  # untracked stays unlimited
    assert (await client.get(f"/api/orders/{order['id']}")).json() == order

    [placed] = await order_events.about(order["id"], key="order_id")
    assert placed["user"]["email"] == "ada.lovelace@example.com"
    assert placed["payment"] == {
        "method": "card",
        "card": "4242424242424242",
        "symbol": None,
        "tx_hash": None,
        "quote": None,
    }
    assert placed["total"] == 77.47 and len(placed["lines"]) == 3


async def test_a_bare_list_of_ids_is_one_of_each_and_payment_is_optional(client, broker):
    perch = await stocked_item(client, broker, 2)
    response = await checkout(client, ADA, [perch, TABLE])
    assert response.status_code == 201, response.text
    assert [(line["item_id"], line["quantity"]) for line in response.json()["lines"]] == [
        (perch, 1),
        (TABLE, 1),
    ]
    assert await stock_of(client, perch) == 1


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("no line", 422),
        ("quantity 0", 422),
        ("quantity 101", 422),
        ("an item twice", 422),
        ("an unknown item", 404),
        ("an unknown user", 404),
        ("an inactive item", 409),
        ("short stock", 409),
    ],
)
async def test_each_bad_checkout_alone_is_refused_and_changes_nothing(
    client, broker, database, case, status
):
    perch = await stocked_item(client, broker, 4)
    gone = await stocked_item(client, broker, 4, active=False)
    lines = {
        "no line": [],
        "quantity 0": [{"item_id": perch, "quantity": 0}],
        "quantity 101": [{"item_id": perch, "quantity": 101}],
        "an item twice": [{"item_id": perch, "quantity": 1}, {"item_id": perch, "quantity": 2}],
        "an unknown item": [{"item_id": perch, "quantity": 1}, {"item_id": 1_999_999_999}],
        "an unknown user": [{"item_id": perch, "quantity": 1}],
        "an inactive item": [{"item_id": perch, "quantity": 1}, {"item_id": gone}],
        "short stock": [{"item_id": TABLE}, {"item_id": perch, "quantity": 5}],
    }[case]
    user = 987_654 if case == "an unknown user" else ADA
    before = database.counts()
    response = await checkout(client, user, lines)
    assert response.status_code == status, response.text
    assert database.counts() == before
    assert (database.stock(perch), database.stock(gone)) == (4, 4)
    if case == "short stock":
        assert response.json() == {
            "detail": f"not enough stock of item {perch}",
            "short_items": [perch],
        }


async def test_a_short_checkout_names_every_short_item_and_takes_none(client, broker, database):
    plenty, few, none = [await stocked_item(client, broker, n) for n in (10, 1, 0)]
    lines = [{"item_id": i, "quantity": 2} for i in (plenty, few, none)]
    response = await checkout(client, ADA, lines)
    assert response.status_code == 409
    assert response.json()["short_items"] == sorted([few, none])
    assert [database.stock(i) for i in (plenty, few, none)] == [10, 1, 0]


async def test_two_checkouts_racing_for_the_last_units_one_wins_whole(
    client, broker, database, real_service
):
    url, _ = real_service
    async with httpx.AsyncClient(base_url=url, timeout=20) as http:
        for _ in range(5):  # bounded: five races
            left, right = [await stocked_item(client, broker, 3) for _ in range(2)]
            # Opposite orders of the same lines: the reservations never deadlock.
            wants = [
                [{"item_id": left, "quantity": 2}, {"item_id": right, "quantity": 2}],
                [{"item_id": right, "quantity": 2}, {"item_id": left, "quantity": 2}],
            ]
            before = database.counts()
            responses = await asyncio.gather(*(checkout(http, ADA, lines) for lines in wants))
            assert sorted(r.status_code for r in responses) == [201, 409], [
                r.text for r in responses
            ]
            [lost] = [r for r in responses if r.status_code == 409]
            assert lost.json()["short_items"] == sorted([left, right])
            assert (database.stock(left), database.stock(right)) == (1, 1)
            assert database.counts()[0] == before[0] + 1


async def test_the_same_key_from_the_same_user_is_the_same_order(client, broker, database):
    perch = await stocked_item(client, broker, 10)
    key = {"Idempotency-Key": f"key-{uuid.uuid4()}"}
    lines = [{"item_id": perch, "quantity": 2}]
    responses = await asyncio.gather(*(checkout(client, ADA, lines, key) for _ in range(4)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert database.stock(perch) == 8
    before = database.counts()
    again = await checkout(client, ADA, lines, key)
    assert again.json()["id"] == responses[0].json()["id"]
    assert database.counts() == before

    reused = await checkout(client, ADA, [{"item_id": perch, "quantity": 3}], key)
    assert reused.status_code == 422
    assert "used for a different order" in reused.json()["detail"]
    assert database.counts() == before

    # Another user's same key is another order.
    theirs = await checkout(client, ALAN, lines, key)
    assert theirs.status_code == 201
    assert theirs.json()["id"] != again.json()["id"]
    assert database.stock(perch) == 6


async def test_the_same_purchase_key_from_another_user_is_another_purchase(client, database):
    key = {"Idempotency-Key": f"key-{uuid.uuid4()}"}
    first = await client.post("/purchase", json={"user_id": ADA, "item_id": TABLE}, headers=key)
    again = await client.post("/purchase", json={"user_id": ADA, "item_id": TABLE}, headers=key)
    assert first.json()["id"] == again.json()["id"]
    other = await client.post("/purchase", json={"user_id": ALAN, "item_id": TABLE}, headers=key)
    assert other.status_code == 201
    assert other.json()["id"] != first.json()["id"]


async def _pages(client, path: str) -> list[list[str]]:
    pages, url = [], f"{path}?limit=2"
    for _ in range(10):  # bounded
        response = await client.get(url)
        assert response.status_code == 200, response.text
        pages.append([row["id"] for row in response.json()])
        link = response.headers.get("link")
        if link is None:
            return pages
        url = link.split(";")[0].strip("<>")
    raise AssertionError("more pages than made")


async def test_a_users_orders_and_purchases_page_newest_first_with_a_link(client):
    user = 5
    placed = [(await checkout(client, user, [TABLE])).json()["id"] for _ in range(3)]
    bought = [
        (await client.post("/purchase", json={"user_id": user, "item_id": TABLE})).json()["id"]
        for _ in range(3)
    ]
    orders = await _pages(client, f"/api/users/{user}/orders")
    purchases = await _pages(client, f"/api/users/{user}/purchases")
    assert len(orders[0]) == 2 and all(1 <= len(page) <= 2 for page in orders)
    assert [i for page in orders for i in page][:3] == placed[::-1]
    assert [i for page in purchases for i in page][:3] == bought[::-1]
    assert (await client.get(f"/api/users/{user}/orders?limit=0")).status_code == 422
    assert (await client.get(f"/api/users/{user}/orders?after=nonsense")).status_code == 422
    assert (await client.get("/api/users/1999999999/orders")).json() == []
    assert (await client.get(f"/api/orders/{uuid.uuid4()}")).status_code == 404
    assert (await client.get("/api/orders/not-an-id")).status_code == 404
