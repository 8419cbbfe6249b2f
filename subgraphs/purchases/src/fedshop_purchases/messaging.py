"""The purchases service's RabbitMQ side, started in the background so that the service takes
purchases while the broker is away: connect (retrying), consume email reports, relay the outbox."""

import asyncio

import structlog
from fedshop_common.amqp import Broker

from fedshop_purchases.events import EMAIL_STATUS_QUEUE, email_status_handler
from fedshop_purchases.live import PurchaseChanges
from fedshop_purchases.outbox import OutboxRelay
from fedshop_purchases.service import PurchasesService

MAX_BACKOFF_SECONDS = 15.0

log = structlog.get_logger()


class Messaging:
    def __init__(self, amqp_url: str, namespace: str, relay: OutboxRelay) -> None:
        self._amqp_url = amqp_url
        self._namespace = namespace
        self._relay = relay
        self.broker: Broker | None = None

    async def run(self, service: PurchasesService, changes: PurchaseChanges) -> None:
        self.broker = await self._connect()
        await self.broker.consume(EMAIL_STATUS_QUEUE, email_status_handler(service, changes))
        await self._relay.run(self.broker)

    async def _connect(self) -> Broker:
        # Only the first connection needs this loop: once connected, aio-pika reconnects itself.
        backoff = 0.5
        while True:
            try:
                return await Broker.connect(self._amqp_url, self._namespace)
            except (OSError, ConnectionError) as error:
                log.warning("broker unreachable, retrying", error=repr(error), retry_in=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    async def close(self) -> None:
        if self.broker is not None:
            await self.broker.close()

    def connected_broker(self) -> Broker:
        """For /health."""
        if self.broker is None:
            raise ConnectionError("not connected yet")
        return self.broker
