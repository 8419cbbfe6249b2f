"""RabbitMQ: the topology, a publisher with confirms, and a consumer with bounded retries + DLQ."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import aio_pika
import structlog
from aio_pika.abc import (
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustChannel,
    AbstractRobustConnection,
)
from pydantic import BaseModel, ValidationError

EXCHANGE = "fedshop.events"
DEAD_LETTER_EXCHANGE = "fedshop.dlx"
# Every queue of the system and what it binds. Each service declares all of them, so an event
# published before its consumer first starts waits in the queue instead of being dropped.
QUEUE_BINDINGS: dict[str, list[str]] = {
    "email-worker.purchases": ["purchase.*"],
    "purchases.email-status": ["email.*"],
}
# Deliveries of one message before the broker dead-letters it (quorum queues count them).
DELIVERY_LIMIT = 5
PUBLISH_TIMEOUT_SECONDS = 10

log = structlog.get_logger()


class PoisonMessage(Exception):
    """A message that can never be processed: it goes to the dead-letter queue at once."""


EventModel = TypeVar("EventModel", bound=BaseModel)
MessageHandler = Callable[[AbstractIncomingMessage], Awaitable[None]]


@dataclass
class Broker:
    connection: AbstractRobustConnection
    channel: AbstractRobustChannel
    exchange: AbstractExchange
    queues: dict[str, AbstractQueue]
    namespace: str

    @classmethod
    async def connect(cls, url: str, namespace: str = "") -> "Broker":
        connection = await aio_pika.connect_robust(
            url, client_properties={"connection_name": "fedshop"}
        )
        # Confirms: publish() waits for the broker's ack. Returns: an unroutable event is an error.
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        exchange = await channel.declare_exchange(
            namespace + EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
        )
        dead_letters = await channel.declare_exchange(
            namespace + DEAD_LETTER_EXCHANGE, aio_pika.ExchangeType.DIRECT, durable=True
        )
        queues = {}
        for name, routing_keys in QUEUE_BINDINGS.items():
            full_name = namespace + name
            dlq = await channel.declare_queue(full_name + ".dlq", durable=True)
            await dlq.bind(dead_letters, routing_key=full_name)
            queue = await channel.declare_queue(
                full_name,
                durable=True,
                arguments={
                    "x-queue-type": "quorum",
                    "x-delivery-limit": DELIVERY_LIMIT,
                    "x-dead-letter-exchange": namespace + DEAD_LETTER_EXCHANGE,
                    "x-dead-letter-routing-key": full_name,
                },
            )
            for routing_key in routing_keys:
                await queue.bind(exchange, routing_key=routing_key)
            queues[name] = queue
        return cls(connection, channel, exchange, queues, namespace)

    async def publish(self, routing_key: str, body: bytes, message_id: str) -> None:
        """Publish a persistent JSON message; returns once the broker has confirmed it."""
        message = aio_pika.Message(
            body,
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=message_id,
            type=routing_key,
        )
        await self.exchange.publish(
            message, routing_key, mandatory=True, timeout=PUBLISH_TIMEOUT_SECONDS
        )

    async def consume(self, queue_name: str, handle: MessageHandler, prefetch: int = 10) -> None:
        """Run `handle` for each message; ack after it returns (its work committed), retry a
        failure a bounded number of times with a growing pause, dead-letter a poison message."""
        await self.channel.set_qos(prefetch_count=prefetch)

        async def on_message(message: AbstractIncomingMessage) -> None:
            attempt = int((message.headers or {}).get("x-delivery-count", 0)) + 1
            context = {"queue": queue_name, "message_id": message.message_id, "type": message.type}
            try:
                await handle(message)
            except PoisonMessage as error:
                log.error("message dead-lettered", reason=str(error), **context)
                await message.reject(requeue=False)
                return
            except Exception as error:
                log.warning("message failed", attempt=attempt, reason=repr(error), **context)
                if attempt >= DELIVERY_LIMIT:
                    log.error("message dead-lettered after retries", reason=repr(error), **context)
                await asyncio.sleep(min(0.2 * 2**attempt, 5))
                await message.nack(requeue=True)
                return
            await message.ack()

        await self.queues[queue_name].consume(on_message)

    async def close(self) -> None:
        await self.connection.close()


def parse_event(message: AbstractIncomingMessage, model: type[EventModel]) -> EventModel:
    try:
        return model.model_validate_json(message.body)
    except ValidationError as error:
        raise PoisonMessage(f"not a valid {model.__name__}: {error.errors()[:3]}") from error


async def delete_namespace(url: str, namespace: str) -> None:
    """Remove a namespace's exchanges and queues (test runs clean up after themselves)."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        for name in QUEUE_BINDINGS:
            await channel.queue_delete(namespace + name)
            await channel.queue_delete(namespace + name + ".dlq")
        await channel.exchange_delete(namespace + EXCHANGE)
        await channel.exchange_delete(namespace + DEAD_LETTER_EXCHANGE)
