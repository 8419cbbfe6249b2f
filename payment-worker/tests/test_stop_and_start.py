"""The worker stopped (SIGTERM, a real process) while orders keep coming: the orders wait in
its queue, and once it is started again each one is paid exactly once and has one outcome."""

import asyncio
import collections
import signal

import pytest

from tests.support import AMQP_URL, QueueReader, TestBroker, eventually

from .conftest import PAYMENTS_QUEUE, order_placed, publish

BEFORE_THE_STOP = 40
WHILE_STOPPED = 20


@pytest.fixture(scope="module")
def stack(make_stack):
    return make_stack("paystop")


async def queued(broker: TestBroker, queue: str) -> int:
    declared = await broker.channel.declare_queue(broker.namespace + queue, passive=True)
    return declared.declaration_result.message_count or 0


async def test_orders_published_while_the_worker_is_stopped_are_each_paid_once(
    stack, start_worker, payments_table
):
    broker = await TestBroker.connect(AMQP_URL, stack.namespace)
    try:
        await broker.declare(PAYMENTS_QUEUE)
        outcomes = QueueReader(broker, PAYMENTS_QUEUE.name)
        first = await asyncio.to_thread(start_worker, stack, "first")
        early = [order_placed(total=f"{n + 1}.50") for n in range(BEFORE_THE_STOP)]
        for order in early:
            await publish(broker, order)

        async def paying() -> bool:
            return bool(payments_table.of(early[2].order_id))

        await eventually(paying)
        first.process.send_signal(signal.SIGTERM)  # with orders likely still in hand
        assert await asyncio.to_thread(first.process.wait, 20) in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in first.log_path.read_text()

        late = [order_placed(total=f"{n + 1}.25") for n in range(WHILE_STOPPED)]
        for order in late:
            await publish(broker, order)
        assert await queued(broker, "payment-worker.orders") >= WHILE_STOPPED  # they wait

        await asyncio.to_thread(start_worker, stack, "second")
        for order in early + late:
            await outcomes.about(order.order_id, key="order_id")
        for order in early + late:
            [payment] = payments_table.of(order.order_id)
            assert (payment["status"], payment["amount"]) == ("succeeded", order.total)
            [event] = payments_table.outbox_of(order.order_id)
            assert event["published_at"] is not None
        await outcomes.drain()  # every event is confirmed: a second outcome would be here now
        # One outcome event per order. The outbox publishes at least once: a stop that lands
        # between the broker's confirm and the relay's mark can send an event again, as the same
        # event (its id), which the purchases service applies once.
        events_per_order = collections.defaultdict(set)
        for body in outcomes.bodies:
            events_per_order[body["order_id"]].add(body["event_id"])
        assert {str(order.order_id) for order in early + late} == set(events_per_order)
        assert all(len(events) == 1 for events in events_per_order.values())
    finally:
        await broker.close()
