"""The payment worker against real RabbitMQ and PostgreSQL: each placed order is paid for once,
and its outcome (`payment.succeeded` / `payment.failed` with the buyer's reason) reaches the
purchases service's queue once, whatever the redeliveries."""

import aio_pika
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support import QueueReader, eventually

from .conftest import PAYMENTS_QUEUE, order_placed, publish

QUEUE = "payment-worker.orders"


@pytest.fixture(scope="module")
def stack(make_stack):
    return make_stack("payments")


@pytest.fixture(scope="module")
def worker(stack, broker, start_worker):
    return start_worker(stack, "worker", PAYMENT_MAX_TOTAL="1000")


@pytest.fixture(scope="module")
def outcomes(broker, worker):
    return QueueReader(broker, PAYMENTS_QUEUE.name)


async def processed(worker) -> float:
    """How many orders the worker has handled and acked (its /metrics)."""
    async with httpx.AsyncClient() as client:
        metrics = (await client.get(f"{worker.url}/metrics")).text
    for family in text_string_to_metric_families(metrics):
        for sample in family.samples:
            if sample.name == "fedshop_messages_processed_total" and sample.labels == {
                "queue": QUEUE
            }:
                return sample.value
    return 0


async def test_a_payment_goes_through_once_and_is_logged(worker, broker, outcomes, payments_table):
    order = order_placed(total="59.97")
    await publish(broker, order)

    [outcome] = await outcomes.about(order.order_id, key="order_id")
    assert outcome["status"] == "succeeded"
    assert outcome["amount"] == 59.97
    assert outcome["reason"] is None
    [payment] = payments_table.of(order.order_id)
    assert (str(payment["amount"]), payment["status"], payment["user_id"]) == (
        "59.97",
        "succeeded",
        7,
    )

    async def logged() -> bool:
        return "payment of 59.97 for user 7 went through" in worker.log_path.read_text()

    await eventually(logged)


@pytest.mark.parametrize(
    ("total", "card", "method", "reason"),
    [
        ("19.99", "4000000000000002", "card", "card declined"),
        ("19.99", "4000 0000 0000 0002", "card", "card declined"),  # as people type it
        ("1000.01", "4242424242424242", "card", "amount over the limit"),
        ("19.99", None, "crypto", "unknown transaction"),  # names no transaction
    ],
    ids=[
        "declined card",
        "declined card with spaces",
        "over the limit",
        "crypto without a transaction",
    ],
)
async def test_a_refused_payment_fails_with_its_reason(
    worker, broker, outcomes, payments_table, total, card, method, reason
):
    order = order_placed(total=total, card=card, method=method)
    await publish(broker, order)

    [outcome] = await outcomes.about(order.order_id, key="order_id")
    assert (outcome["status"], outcome["reason"], outcome["amount"]) == (
        "failed",
        reason,
        float(total),
    )
    [payment] = payments_table.of(order.order_id)
    assert (payment["status"], payment["reason"], payment["method"]) == ("failed", reason, method)
    assert "went through" not in _lines_about(worker, order.order_id)


def _lines_about(worker, order_id) -> str:
    lines = worker.log_path.read_text().splitlines()
    return "\n".join(line for line in lines if str(order_id) in line)


async def test_the_limit_itself_is_not_over_it(worker, broker, outcomes):
    order = order_placed(total="1000.00")
    await publish(broker, order)

    [outcome] = await outcomes.about(order.order_id, key="order_id")
    assert outcome["status"] == "succeeded"


async def test_an_order_delivered_twice_is_paid_once(worker, broker, outcomes, payments_table):
    before = await processed(worker)
    order = order_placed(total="20.00", card="4000000000000002")
    await publish(broker, order)
    await publish(broker, order)  # the same event: what a redelivery brings

    async def both_handled() -> bool:
        return await processed(worker) >= before + 2

    await eventually(both_handled)

    async def all_published() -> list[dict]:
        rows = payments_table.outbox_of(order.order_id)
        return rows if rows and all(row["published_at"] for row in rows) else []

    [event] = await eventually(all_published)
    assert event["routing_key"] == "payment.failed"
    assert len(payments_table.of(order.order_id)) == 1
    [outcome] = await outcomes.about(order.order_id, key="order_id")
    await outcomes.drain()  # published and confirmed above: a second one would be here now
    assert [b for b in outcomes.bodies if b["order_id"] == str(order.order_id)] == [outcome]
    assert "order already paid for: nothing added" in _lines_about(worker, order.order_id)


async def test_a_malformed_order_is_dead_lettered_at_once(worker, broker):
    await broker.exchange.publish(
        aio_pika.Message(b'{"not": "an order"}', message_id="malformed-order-1"), "order.placed"
    )
    queue = await broker.dlq(QUEUE)

    async def parked():
        return await queue.get(no_ack=True, fail=False)

    message = await eventually(parked)
    assert message.message_id == "malformed-order-1"
    assert "not a valid OrderPlaced" in str(message.headers["x-failure-reason"])


async def test_health_and_metrics(worker, broker, outcomes):
    async with httpx.AsyncClient(base_url=worker.url) as client:
        live = await client.get("/health/live")
        ready = await client.get("/health/ready")
        metrics = (await client.get("/metrics")).text
    assert live.status_code == 200
    assert ready.status_code == 200
    assert ready.json()["dependencies"] == {"database": "ok", "publisher": "ok", "consumer": "ok"}
    assert ready.json()["tasks"]["outbox-relay"] == "running"
    for name in (
        f'fedshop_messages_processed_total{{queue="{QUEUE}"}}',
        'fedshop_payments_total{status="succeeded"}',
        'fedshop_payments_total{status="failed"}',
        "fedshop_outbox_backlog",
    ):
        assert name in metrics
