"""The payment outcome settles an order once: paid (`order.paid`), or cancelled with its stock
back (`order.cancelled`); a repeated or late outcome changes nothing. The payment timeout
cancels an unpaid order. The order's email is recorded once, and unknown reports are no harm."""

import asyncio
import json
import uuid
from datetime import UTC, datetime

import pytest
import websockets
from fedshop_common.events import EmailSent, OrderEmailSent, PaymentStatus
from fedshop_purchases.orders.service import PAID_AFTER_CANCELLATION

from tests.support import AMQP_URL, QueueReader, TestBroker, eventually, started

from .conftest import purchases_app
from .shop import checkout, payment, send, stock_of, stocked_item

ADA = 1


@pytest.fixture
async def order_events(broker):
    reader = QueueReader(broker, "test-observer.orders")
    await reader.drain()
    return reader


async def settled(client, order_id: str, **expected) -> dict:
    async def probe() -> dict | None:
        order = (await client.get(f"/api/orders/{order_id}")).json()
        return order if all(order.get(k) == v for k, v in expected.items()) else None

    return await eventually(probe)


async def no_more_events(reader: QueueReader, order_id: str, count: int) -> list[dict]:
    """The events about the order once the consumers had time to send a (wrong) second one."""
    await asyncio.sleep(1.5)
    return await reader.about(order_id, count, key="order_id")


async def test_a_payment_that_succeeds_pays_the_order_once(client, broker, order_events):
    perch = await stocked_item(client, broker, 4)
    order = (await checkout(client, ADA, [{"item_id": perch, "quantity": 2}])).json()
    succeeded = payment(order, PaymentStatus.SUCCEEDED)
    for _ in range(3):  # redelivered: settled once
        await send(broker, succeeded)
    paid = await settled(client, order["id"], status="paid")
    assert (paid["reason"], paid["payment_error"]) == (None, None)
    # And a second, different outcome for the same order changes nothing either.
    await send(broker, payment(order, PaymentStatus.FAILED, "card declined"))

    events = await no_more_events(order_events, order["id"], 2)
    # order.placed has no status; the settlements do: exactly one.
    assert [e["status"] for e in events if "status" in e] == ["paid"]
    [settlement] = [e for e in events if e.get("status") == "paid"]
    assert settlement["user"]["email"] == "ada.lovelace@example.com"
    assert settlement["lines"][0] == {
        "item_id": perch,
        "name": f"Perch {perch}",
        "quantity": 2,
        "unit_price": 5.0,
    }
    assert (await client.get(f"/api/orders/{order['id']}")).json()["status"] == "paid"
    assert await stock_of(client, perch) == 2  # sold: the reservation stands


async def test_a_failed_payment_cancels_once_and_returns_the_stock(client, broker, order_events):
    perch = await stocked_item(client, broker, 4)
    placed = await checkout(client, ADA, [{"item_id": perch, "quantity": 3}, {"item_id": 1}])
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert await stock_of(client, perch) == 1
    failed = payment(order, PaymentStatus.FAILED, "card declined")
    for _ in range(3):
        await send(broker, failed)
    cancelled = await settled(client, order["id"], status="cancelled")
    assert (cancelled["reason"], cancelled["payment_error"]) == ("payment_failed", "card declined")
    assert await stock_of(client, perch) == 4  # given back once, not three times
    await send(broker, payment(order, PaymentStatus.FAILED, "card declined"))  # another copy

    events = await no_more_events(order_events, order["id"], 2)
    settlements = [e for e in events if "status" in e]
    assert [(e["status"], e["reason"], e["detail"]) for e in settlements] == [
        ("cancelled", "payment_failed", "card declined")
    ]
    assert await stock_of(client, perch) == 4


async def test_an_outcome_for_an_unknown_order_is_dead_lettered(broker):
    stray = payment({"id": str(uuid.uuid4()), "total": 1.0}, PaymentStatus.SUCCEEDED)
    await send(broker, stray)
    dlq = await broker.dlq("purchases.payments")

    async def dead_lettered() -> bool:
        message = await dlq.get(no_ack=True, fail=False)
        return bool(message and message.message_id == str(stray.event_id))

    assert await eventually(dead_lettered)


def order_email(order_id: str, kind: str = "order_confirmation") -> OrderEmailSent:
    return OrderEmailSent(
        order_id=uuid.UUID(order_id),
        kind=kind,
        recipient="ada.lovelace@example.com",
        subject="Your order is confirmed",
        sent_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )


async def test_the_orders_email_is_recorded_once_and_unknown_reports_do_no_harm(client, broker):
    order = (await checkout(client, ADA, [1])).json()
    # A report this version does not know, straight before the real one: skipped, not a crash.
    await broker.publish("email.bounced", b'{"whatever": 1}', str(uuid.uuid4()))
    report = order_email(order["id"])
    await send(broker, report)
    stored = await settled(
        client,
        order["id"],
        email={
            "kind": "order_confirmation",
            "recipient": "ada.lovelace@example.com",
            "subject": "Your order is confirmed",
            "sent_at": "2026-01-02T03:04:05Z",
        },
    )
    later = report.model_copy(update={"subject": "changed", "event_id": uuid.uuid4()})
    await send(broker, later)
    # The queue still serves purchases' reports after both.
    purchase = (await client.post("/purchase", json={"user_id": ADA, "item_id": 1})).json()
    await send(
        broker,
        EmailSent(
            purchase_id=uuid.UUID(purchase["id"]),
            kind="confirmation",
            recipient="ada.lovelace@example.com",
            subject="Your purchase of Table is confirmed",
            sent_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        ),
    )

    async def purchase_email() -> bool:
        body = (await client.get(f"/purchases/{purchase['id']}")).json()
        return body["email_status"] == "sent"

    await eventually(purchase_email)
    assert (await client.get(f"/api/orders/{order['id']}")).json() == stored
    dlq = await broker.dlq("purchases.email-status")
    assert (await dlq.get(no_ack=True, fail=False)) is None


@pytest.fixture(scope="module")
async def impatient(make_stack, users_url):
    """A purchases service of its own (database, queues) whose orders wait 1 s for payment."""
    stack = make_stack("timeout")
    app = purchases_app(stack, users_url, payment_timeout=1)
    broker = await TestBroker.connect(AMQP_URL, stack.namespace)
    async with started(app) as client:
        yield client, broker
    await broker.close()


async def test_an_unpaid_order_is_cancelled_by_the_timeout_and_its_stock_returns(impatient):
    client, broker = impatient
    events = QueueReader(broker, "test-observer.orders")
    perch = await stocked_item(client, broker, 3)
    order = (await checkout(client, ADA, [{"item_id": perch, "quantity": 3}])).json()
    assert await stock_of(client, perch) == 0
    cancelled = await settled(client, order["id"], status="cancelled")
    assert (cancelled["reason"], cancelled["payment_error"]) == ("payment_timeout", None)
    assert await stock_of(client, perch) == 3
    [_, settlement] = await events.about(order["id"], 2, key="order_id")
    assert (settlement["status"], settlement["reason"]) == ("cancelled", "payment_timeout")

    # The payment succeeds after all, too late: logged and counted, the order stays cancelled.
    late_before = PAID_AFTER_CANCELLATION._value.get()
    await send(broker, payment(order, PaymentStatus.SUCCEEDED))

    async def counted() -> bool:
        return PAID_AFTER_CANCELLATION._value.get() == late_before + 1

    await eventually(counted)
    metrics = (await client.get("/metrics")).text
    assert "fedshop_payments_after_cancellation_total" in metrics
    assert (await client.get(f"/api/orders/{order['id']}")).json() == cancelled
    assert await stock_of(client, perch) == 3


async def test_a_subscriber_follows_the_order_until_it_is_settled_and_emailed(
    client, broker, real_service
):
    url, secret = real_service
    order = (await checkout(client, ADA, [1])).json()
    query = "subscription($id: ID!) { orderUpdated(id: $id) { status reason email { kind } } }"
    async with websockets.connect(
        url.replace("http://", "ws://") + "/graphql",
        subprotocols=["graphql-transport-ws"],
        additional_headers={"x-fedshop-router-secret": secret},
    ) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        payload = {"query": query, "variables": {"id": order["id"]}}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        seen = []
        async with asyncio.timeout(30):
            first = json.loads(await socket.recv())
            seen.append(first["payload"]["data"]["orderUpdated"])
            await send(broker, payment(order, PaymentStatus.FAILED, "card declined"))
            second = json.loads(await socket.recv())
            seen.append(second["payload"]["data"]["orderUpdated"])
            await send(broker, order_email(order["id"], "order_cancellation"))
            while (message := json.loads(await socket.recv()))["type"] == "next":
                seen.append(message["payload"]["data"]["orderUpdated"])
            assert message["type"] == "complete"
    assert seen == [
        {"status": "AWAITING_PAYMENT", "reason": None, "email": None},
        {"status": "CANCELLED", "reason": "PAYMENT_FAILED", "email": None},
        {
            "status": "CANCELLED",
            "reason": "PAYMENT_FAILED",
            "email": {"kind": "ORDER_CANCELLATION"},
        },
    ]
