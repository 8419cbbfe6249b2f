"""Outages longer than a retry or two, on servers of the test's own: PostgreSQL restarted and
unreachable for a minute, the SMTP server down for a minute, RabbitMQ really restarted. Each
ends in an exact count: every purchase has exactly one email, and no message is dead-lettered.

The services retry failed messages every 0.5 s, 1 s, … 5 s here (their default is 1 s … 5 min for
an hour: `libs/common/tests/unit/test_retry_policy.py`), so a test waits seconds, not minutes,
after the outage ends."""

import asyncio

import pytest

from tests.faults.servers import PrivatePostgres, PrivateRabbitMQ
from tests.faults.support import (
    FaultySystem,
    assert_each_emailed_exactly_once,
    assert_few_resends,
    buy_many,
)
from tests.support import ALL_QUEUES, TestBroker

OUTAGE_SECONDS = 60
PURCHASES = 150
QUICK_RETRIES = {
    "RETRY_FIRST_DELAY_SECONDS": "0.5",
    "RETRY_MAX_DELAY_SECONDS": "5",
    "RETRY_GIVE_UP_AFTER_SECONDS": "900",
}


@pytest.fixture(scope="module")
def servers():
    postgres, rabbitmq = PrivatePostgres(), PrivateRabbitMQ()
    yield postgres, rabbitmq
    postgres.remove()
    rabbitmq.remove()


@pytest.fixture(scope="module")
def system(make_stack, servers):
    postgres, rabbitmq = servers
    running = FaultySystem(make_stack("outages"), postgres.port, rabbitmq.port, env=QUICK_RETRIES)
    yield running
    running.stop()


async def dead_lettered(system: FaultySystem, rabbitmq: PrivateRabbitMQ) -> int:
    broker = await TestBroker.connect(rabbitmq.url, system.stack.namespace)
    try:
        counts = [
            (await broker.dlq(spec.name)).declaration_result.message_count for spec in ALL_QUEUES
        ]
    finally:
        await broker.close()
    return sum(counts)


async def outage_for(seconds: float, cut, restore) -> None:  # noqa: ANN001
    cut()
    try:
        await asyncio.sleep(seconds)
    finally:
        restore()


async def test_postgresql_restarted_while_purchases_flow(system, database, servers):
    postgres, rabbitmq = servers

    def restart(answered: int) -> None:
        if answered == 50:
            postgres.restart()

    ids = await buy_many(system, PURCHASES, during=restart, answered_within=60)
    delivered = await assert_each_emailed_exactly_once(system, database, ids)
    assert_few_resends(delivered, ids)
    assert await dead_lettered(system, rabbitmq) == 0


async def test_postgresql_unreachable_for_a_minute_while_purchases_flow(system, database, servers):
    _, rabbitmq = servers
    buying = asyncio.create_task(buy_many(system, PURCHASES, answered_within=OUTAGE_SECONDS + 60))
    await asyncio.sleep(1)  # some bought and queued, some emails in hand, when it goes
    await outage_for(OUTAGE_SECONDS, system.postgres.cut, system.postgres.start)
    ids = await buying
    delivered = await assert_each_emailed_exactly_once(system, database, ids)
    assert_few_resends(delivered, ids)
    assert await dead_lettered(system, rabbitmq) == 0


async def test_smtp_down_for_a_minute_every_email_sent_once_back(system, database, servers):
    _, rabbitmq = servers
    system.smtp.stop()
    try:
        ids = await buy_many(system, PURCHASES)
        await asyncio.sleep(OUTAGE_SECONDS)
    finally:
        system.smtp.start()
    delivered = await assert_each_emailed_exactly_once(system, database, ids)
    assert sum(delivered[i] for i in ids) == len(ids)  # nothing reached SMTP while it was down
    assert await dead_lettered(system, rabbitmq) == 0


async def test_rabbitmq_restarted_under_load_none_lost_none_twice(system, database, servers):
    _, rabbitmq = servers

    def restart(answered: int) -> None:
        if answered == 50:
            rabbitmq.restart()

    ids = await buy_many(system, PURCHASES, during=restart, answered_within=60)
    delivered = await assert_each_emailed_exactly_once(system, database, ids)
    # The record is exact (above); SMTP may see the documented re-send window only. Seen once in
    # a dozen runs on a loaded machine, never with the worker logging a second send.
    assert_few_resends(delivered, ids)
    assert await dead_lettered(system, rabbitmq) == 0
