"""Buying, against real PostgreSQL, RabbitMQ and the real users service."""

import asyncio
import uuid

import pytest

from tests.support import QueueReader, free_port, started

from .conftest import purchases_app

TABLE, LAMP, LAPTOP, BACKPACK, DESK_LAMP = 1, 3, 4, 7, 10  # seeded: 10, 50, 1000, 49.99, 50.01


@pytest.fixture
async def purchase_events(broker):
    reader = QueueReader(broker, "email-worker.purchases")
    await reader.drain()
    return reader


async def buy(client, user_id, item_id, **headers):
    return await client.post(
        "/purchase", json={"user_id": user_id, "item_id": item_id}, headers=headers
    )


async def test_lists_the_items_with_prices_as_numbers(client):
    items = (await client.get("/items")).json()
    assert {"id": 3, "name": "Lamp", "price": 50.0, "quantity": None} in items
    assert {"id": 7, "name": "Backpack", "price": 49.99, "quantity": None} in items


@pytest.mark.parametrize(
    ("item_id", "price", "status"),
    [
        (TABLE, 10.0, "succeeded"),
        (BACKPACK, 49.99, "succeeded"),
        (LAMP, 50.0, "rejected"),
        (DESK_LAMP, 50.01, "rejected"),
        (LAPTOP, 1000.0, "rejected"),
    ],
)
async def test_the_price_rule_decides_and_the_event_reaches_the_email_queue(
    client, purchase_events, item_id, price, status
):
    response = await buy(client, 2, item_id)
    assert response.status_code == 201, response.text
    purchase = response.json()
    assert purchase["status"] == status
    assert purchase["price"] == price
    assert purchase["email_status"] == "pending"

    [event] = await purchase_events.about(purchase["id"])
    assert event["status"] == status
    assert event["user"] == {
        "id": 2,
        "email": "alan.turing@example.com",
        "first_name": "Alan",
        "last_name": "Turing",
    }
    assert event["item"]["id"] == item_id and event["item"]["price"] == price


async def test_the_purchase_can_be_read_back(client):
    created = (await buy(client, 1, TABLE)).json()
    response = await client.get(f"/purchases/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"user_id": 424242, "item_id": TABLE}, 404, "user 424242 not found"),
        ({"user_id": 1, "item_id": 424242}, 404, "item 424242 not found"),
    ],
)
async def test_unknown_user_or_item_is_a_404_and_writes_nothing(
    client, count_rows, body, status, detail
):
    before = count_rows()
    response = await client.post("/purchase", json=body)
    assert (response.status_code, response.json()) == (status, {"detail": detail})
    assert count_rows() == before


@pytest.mark.parametrize(
    "body",
    [{}, {"user_id": "x", "item_id": 1}, {"user_id": 1}, {"user_id": 0, "item_id": 1}, [1, 2]],
)
async def test_a_malformed_body_is_a_422_naming_the_field_and_writes_nothing(
    client, count_rows, body
):
    before = count_rows()
    response = await client.post("/purchase", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"
    assert count_rows() == before


async def test_unknown_purchase_is_a_404(client):
    assert (await client.get(f"/purchases/{uuid.uuid4()}")).status_code == 404
    assert (await client.get("/purchases/not-a-uuid")).status_code == 404


async def test_a_repeated_idempotency_key_returns_the_first_purchase(client, count_rows):
    key = f"key-{uuid.uuid4()}"
    first = (await buy(client, 3, TABLE, **{"Idempotency-Key": key})).json()
    before = count_rows()
    repeats = await asyncio.gather(
        *(buy(client, 3, TABLE, **{"Idempotency-Key": key}) for _ in range(5))
    )
    assert {r.json()["id"] for r in repeats} == {first["id"]}
    assert count_rows() == before


async def test_concurrent_first_requests_with_one_key_make_one_purchase(client, count_rows):
    key = f"key-{uuid.uuid4()}"
    before = count_rows()
    responses = await asyncio.gather(
        *(buy(client, 4, BACKPACK, **{"Idempotency-Key": key}) for _ in range(6))
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert count_rows() == (before[0] + 1, before[1] + 1)


async def test_an_unreachable_users_service_is_a_503_naming_it_and_writes_nothing(
    stack, count_rows
):
    app = purchases_app(stack, f"http://127.0.0.1:{free_port()}")
    async with started(app) as client:
        before = count_rows()
        response = await buy(client, 4242, TABLE)  # a user no test has looked up (cached)
    assert response.status_code == 503
    assert "users service is unavailable" in response.json()["detail"]
    assert count_rows() == before


async def test_an_idempotency_key_reused_for_another_purchase_is_a_422(client, count_rows):
    key = f"key-{uuid.uuid4()}"
    assert (await buy(client, 3, TABLE, **{"Idempotency-Key": key})).status_code == 201
    before = count_rows()
    response = await buy(client, 3, LAMP, **{"Idempotency-Key": key})
    assert response.status_code == 422
    assert "used for a different purchase" in response.json()["detail"]
    assert count_rows() == before


@pytest.mark.parametrize("key", ["", "k" * 201])
async def test_an_empty_or_overlong_idempotency_key_is_a_422(client, count_rows, key):
    before = count_rows()
    for _ in range(2):  # found by schemathesis: a repeated empty key used to be a 500
        response = await buy(client, 3, TABLE, **{"Idempotency-Key": key})
        assert response.status_code == 422
    assert count_rows() == before
