"""The outbox relay: publishes committed events, marking each sent only once confirmed."""

import asyncio
import json

import structlog
from fedshop_common.amqp import Broker
from fedshop_common.database import transaction
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_purchases import repository

BATCH_SIZE = 100
MAX_BACKOFF_SECONDS = 30.0

log = structlog.get_logger()


class OutboxRelay:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], poll_seconds: float) -> None:
        self._sessions = sessions
        self._poll_seconds = poll_seconds
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """A purchase of this process committed an event: publish it now, not at the next poll."""
        self._wake.set()

    async def run(self, broker: Broker) -> None:
        """Publish until cancelled; rows written while the broker is away wait, none is lost."""
        backoff = 0.5
        while True:
            try:
                published = await self.publish_pending(broker)
                backoff = 0.5
            except Exception as error:  # the broker or the database is down: retry, lose nothing
                log.warning("outbox relay failed, retrying", error=repr(error), retry_in=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            if published < BATCH_SIZE:
                await self._wait_for_work()

    async def _wait_for_work(self) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)
        except TimeoutError:
            pass
        self._wake.clear()

    async def publish_pending(self, broker: Broker) -> int:
        """Publish one batch in order; return how many were published and marked."""
        published = 0
        async with transaction(self._sessions) as session:
            if not await repository.take_relay_lock(session):
                return 0
            for message in await repository.pending_outbox(session, BATCH_SIZE):
                try:
                    await broker.publish(
                        message.routing_key,
                        json.dumps(message.payload).encode(),
                        message_id=str(message.event_id),
                    )
                except Exception:
                    # Keep the marks of the rows already confirmed; the rest go next round.
                    await session.commit()
                    raise
                repository.mark_published(message)
                published += 1
        if published:
            log.info("outbox published", count=published)
        return published
