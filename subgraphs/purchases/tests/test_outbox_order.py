"""The outbox's promises, tested on the purchases database with the relay driven by hand: a
fixed publishing order that no later commit can jump, each event once, and an unroutable event
set aside without holding back the ones behind it."""

import asyncio
import json
import random

import pytest
from fedshop_common.database import create_database_engine, create_session_factory, migrate
from fedshop_common.events import Event
from fedshop_common.messaging import Publisher
from fedshop_common.outbox import OutboxMessage, OutboxRelay, add_event
from fedshop_purchases.app import MIGRATIONS
from sqlalchemy import text

from tests.support import AMQP_URL, TestBroker, eventually


class Probe(Event):
    """An event whose routing key the test chooses."""

    key: str = "purchase.succeeded"
    label: str

    @property
    def routing_key(self) -> str:
        return self.key


@pytest.fixture(scope="module")
def order_stack(make_stack):
    stack = make_stack("outbox-order")
    migrate(stack.database_url("purchases"), MIGRATIONS)
    return stack


@pytest.fixture
async def world(order_stack):
    engine = create_database_engine(order_stack.database_url("purchases"))
    sessions = create_session_factory(engine)
    async with sessions() as session, session.begin():
        await session.execute(text("DELETE FROM outbox"))
    broker = await TestBroker.connect(AMQP_URL, order_stack.namespace)
    publisher = Publisher(AMQP_URL, order_stack.namespace, "tests")
    await publisher.connect()
    yield sessions, OutboxRelay(sessions, publisher), broker
    await publisher.close()
    await broker.close()
    await engine.dispose()


async def drain_labels(broker: TestBroker) -> list[str]:
    queue = broker.queues["email-worker.purchases"]
    labels = []
    while message := await queue.get(no_ack=True, fail=False):
        labels.append(json.loads(message.body)["label"])
    return labels


async def publish_all(relay: OutboxRelay, sessions) -> None:  # noqa: ANN001
    async def nothing_pending() -> bool:
        await relay.publish_pending()
        async with sessions() as session:
            pending = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            return (await session.scalar(text(pending))) == 0

    await eventually(nothing_pending)


async def test_a_row_committed_later_never_jumps_ahead_of_an_open_older_one(world):
    sessions, relay, broker = world
    async with sessions() as older:
        await older.begin()
        add_event(older, Probe(label="older"))
        await older.flush()  # its transaction now has an id, and holds row 1
        async with sessions() as newer, newer.begin():
            add_event(newer, Probe(label="newer"))
        assert await relay.publish_pending() == 0  # "newer" is committed, but must wait
        await older.commit()
    await publish_all(relay, sessions)
    assert await drain_labels(broker) == ["older", "newer"]


async def test_concurrent_writers_each_event_once_in_the_order_the_relay_promises(world):
    sessions, relay, broker = world

    async def writer(n: int) -> None:
        for k in range(5):
            async with sessions() as session, session.begin():
                add_event(session, Probe(label=f"{n}-{k}"))
                await session.flush()
                await asyncio.sleep(random.uniform(0, 0.02))  # commits land out of id order

    async def relay_meanwhile() -> None:
        for _ in range(30):
            await relay.publish_pending()
            await asyncio.sleep(0.01)

    await asyncio.gather(*(writer(n) for n in range(10)), relay_meanwhile())
    await publish_all(relay, sessions)
    published = await drain_labels(broker)
    async with sessions() as session:
        rows = await session.execute(text("SELECT payload FROM outbox ORDER BY txid, id"))
        promised = [payload["label"] for (payload,) in rows]
    assert len(published) == len(set(published)) == 50
    assert published == promised


async def test_an_unroutable_event_is_set_aside_and_does_not_block_the_next(world):
    sessions, relay, broker = world
    async with sessions() as session, session.begin():
        add_event(session, Probe(key="nobody.binds.this", label="lost"))
        add_event(session, Probe(label="next"))
    assert await relay.publish_pending() == 1
    assert await drain_labels(broker) == ["next"]
    async with sessions() as session:
        row = await session.scalar(
            text("SELECT id FROM outbox WHERE routing_key = 'nobody.binds.this'")
        )
        aside = await session.get(OutboxMessage, row)
    assert aside.published_at is None and aside.attempts == 1 and aside.retry_at is not None
    assert await relay.publish_pending() == 0  # not tried again before its time
