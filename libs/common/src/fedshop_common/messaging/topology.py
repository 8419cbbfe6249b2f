"""The broker's names and shapes: one topic exchange, and for each consumed queue its delay
queues and its dead-letter queue. Each service declares the queues it consumes (`QueueSpec`,
exported from its own package); this module knows no service's names."""

from collections.abc import Iterable
from dataclasses import dataclass

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue

from fedshop_common.messaging.retry import RetryPolicy

EXCHANGE = "fedshop.events"
DLQ_SUFFIX = ".dlq"
RETRY_SUFFIX = ".retry"
# Deliveries of one message before the broker itself dead-letters it (quorum queues count them).
# The consumer's own retries republish the message, so this only catches a consumer that
# crashes on it (or a connection that keeps dropping while it is in hand).
DELIVERY_LIMIT = 10


@dataclass(frozen=True)
class QueueSpec:
    """A queue a service consumes and the routing keys it binds on the events exchange."""

    name: str
    routing_keys: tuple[str, ...]

    def full_name(self, namespace: str) -> str:
        return namespace + self.name

    def dlq(self, namespace: str) -> str:
        return self.full_name(namespace) + DLQ_SUFFIX

    def delay_queue(self, namespace: str, delay_seconds: float) -> str:
        return f"{self.full_name(namespace)}{RETRY_SUFFIX}.{round(delay_seconds * 1000)}ms"


_QUORUM = {"x-queue-type": "quorum"}
# Quorum queues dead-letter at least once only when they refuse publishes while full.
_AT_LEAST_ONCE = {"x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"}


async def declare_exchange(channel: AbstractChannel, namespace: str) -> AbstractExchange:
    return await channel.declare_exchange(
        namespace + EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
    )


async def declare_queue(
    channel: AbstractChannel, spec: QueueSpec, namespace: str, retry: RetryPolicy
) -> AbstractQueue:
    """The queue, bound to its routing keys, its DLQ and one delay queue per retry pause.
    Every one is a quorum queue: replicated, and dead-lettering at least once."""
    exchange = await declare_exchange(channel, namespace)
    name = spec.full_name(namespace)
    await channel.declare_queue(spec.dlq(namespace), durable=True, arguments=_QUORUM)
    for delay in retry.delays:
        await channel.declare_queue(
            spec.delay_queue(namespace, delay),
            durable=True,
            arguments={
                **_QUORUM,
                **_AT_LEAST_ONCE,
                "x-message-ttl": round(delay * 1000),
                # An expired pause returns the message to its queue through the default exchange.
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": name,
            },
        )
    queue = await channel.declare_queue(
        name,
        durable=True,
        arguments={
            **_QUORUM,
            **_AT_LEAST_ONCE,
            "x-delivery-limit": DELIVERY_LIMIT,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": spec.dlq(namespace),
        },
    )
    for routing_key in spec.routing_keys:
        await queue.bind(exchange, routing_key=routing_key)
    return queue


async def delete_namespace(url: str, namespace: str, queue_names: Iterable[str]) -> None:
    """Remove a namespace's exchange and the named queues (test runs clean up after themselves;
    AMQP cannot list queues, so the caller names them)."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        for name in queue_names:
            if name.startswith(namespace):
                await channel.queue_delete(name)
        await channel.exchange_delete(namespace + EXCHANGE)
