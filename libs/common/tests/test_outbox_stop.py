"""A service told to stop while its outbox relay is mid-batch keeps the marks of the events the
broker already confirmed: the next start does not publish them again. Real PostgreSQL and
RabbitMQ; the publisher stalls on purpose after a few confirms, as a slow broker would."""

import asyncio

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from fedshop_common.database import (
    create_database_engine,
    create_session_factory,
    drop_database,
    ensure_database,
    transaction,
)
from fedshop_common.events import Event
from fedshop_common.messaging import Publisher, QueueSpec, RetryPolicy
from fedshop_common.messaging.topology import declare_queue
from fedshop_common.outbox import OutboxRelay, add_event, add_outbox_table
from sqlalchemy import create_engine, text

from tests.support import AMQP_URL, eventually

SPEC = QueueSpec("tests.outbox-stop", ("test.*",))
EVENTS = 6
CONFIRMED_BEFORE_THE_STALL = 2


class Happened(Event):
    @property
    def routing_key(self) -> str:
        return "test.happened"


class StallingPublisher(Publisher):
    """Publishes (with confirms) the first few messages, then waits for ever on the next."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.confirmed = 0

    async def publish(self, *args: object, **kwargs: object) -> None:
        if self.confirmed == CONFIRMED_BEFORE_THE_STALL:
            await asyncio.Event().wait()
        await super().publish(*args, **kwargs)
        self.confirmed += 1


@pytest.fixture
async def outbox_database(make_stack):
    stack = make_stack("outboxstop")
    url = stack.database_url("outbox")
    await asyncio.to_thread(ensure_database, url)
    sync_engine = create_engine(url)
    with (
        sync_engine.begin() as connection,
        Operations.context(MigrationContext.configure(connection)),
    ):
        add_outbox_table()
    yield stack, url, sync_engine
    sync_engine.dispose()
    await asyncio.to_thread(drop_database, url)


async def test_a_relay_cancelled_mid_batch_keeps_the_marks_of_what_was_confirmed(
    outbox_database,
):
    stack, url, sync_engine = outbox_database
    engine = create_database_engine(url)
    sessions = create_session_factory(engine)
    publisher = StallingPublisher(AMQP_URL, stack.namespace, "tests")
    await publisher.connect()
    try:
        channel = await publisher.connection.channel()
        await declare_queue(channel, SPEC, stack.namespace, RetryPolicy(1, 1, 1))
        async with transaction(sessions) as session:
            for _ in range(EVENTS):
                add_event(session, Happened())

        batch = asyncio.create_task(OutboxRelay(sessions, publisher).publish_pending())

        async def stalled() -> bool:
            return publisher.confirmed == CONFIRMED_BEFORE_THE_STALL

        await eventually(stalled)
        batch.cancel()  # what the service's stop does to its background tasks
        with pytest.raises(asyncio.CancelledError):
            await batch
    finally:
        await publisher.close()
        await engine.dispose()

    with sync_engine.connect() as connection:
        marked = connection.scalar(
            text("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL")
        )
    assert marked == CONFIRMED_BEFORE_THE_STALL
