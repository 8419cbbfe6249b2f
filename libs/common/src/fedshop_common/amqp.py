"""RabbitMQ: the topology, a publisher with confirms, and a consumer with bounded retries + DLQ."""

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
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
from prometheus_client import Counter
from pydantic import BaseModel, ValidationError

EXCHANGE = "fedshop.events"
DEAD_LETTER_EXCHANGE = "fedshop.dlx"
# Every queue of the system and what it binds. Each service declares all of them, so an event
# published before its consumer first starts waits in the queue instead of being dropped.
QUEUE_BINDINGS: dict[str, list[str]] = {
    "email-worker.purchases": ["purchase.*"],
    "purchases.email-status": ["email.*"],
}
# Deliveries of one message before the broker dead-letters it (quorum queues count them). The
# consumer's own retries republish the message, so this only catches a consumer that crashes on it.
DELIVERY_LIMIT = 5
# A failed message waits in `<queue>.retry` for its pause, then the broker returns it to `<queue>`.
RETRY_SUFFIX = ".retry"
DLQ_SUFFIX = ".dlq"
# Headers the consumer sets on a message it retries or dead-letters.
ATTEMPTS_HEADER = "x-attempts"
FAILURE_REASON_HEADER = "x-failure-reason"
STOP_TIMEOUT_SECONDS = 30
PUBLISH_TIMEOUT_SECONDS = 10

log = structlog.get_logger()

MESSAGES_PROCESSED = Counter(
    "fedshop_messages_processed", "Messages handled and acknowledged", ["queue"]
)
MESSAGES_FAILED = Counter(
    "fedshop_messages_failed", "Failed attempts at handling a message", ["queue"]
)
MESSAGES_DEAD_LETTERED = Counter(
    "fedshop_messages_dead_lettered", "Messages parked in the dead-letter queue", ["queue"]
)


class PoisonMessage(Exception):
    """A message that can never be processed: it goes to the dead-letter queue at once."""


EventModel = TypeVar("EventModel", bound=BaseModel)
MessageHandler = Callable[[AbstractIncomingMessage], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """A failing message is tried `attempts` times in all, the pause doubling from the first."""

    attempts: int = DELIVERY_LIMIT
    first_delay_seconds: float = 0.5
    max_delay_seconds: float = 30.0

    def delay_after(self, attempt: int) -> float:
        return min(self.first_delay_seconds * 2 ** (attempt - 1), self.max_delay_seconds)


@dataclass
class Broker:
    connection: AbstractRobustConnection
    channel: AbstractRobustChannel
    exchange: AbstractExchange
    queues: dict[str, AbstractQueue]
    namespace: str
    dead_letters: AbstractExchange | None = None
    _consumers: list[tuple[AbstractQueue, str]] = field(default_factory=list)
    _in_hand: set[asyncio.Task] = field(default_factory=set)

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
            dlq = await channel.declare_queue(full_name + DLQ_SUFFIX, durable=True)
            await dlq.bind(dead_letters, routing_key=full_name)
            await channel.declare_queue(
                full_name + RETRY_SUFFIX,
                durable=True,
                arguments={
                    "x-queue-type": "quorum",
                    # An expired pause sends the message back to its queue (default exchange),
                    # re-published by the broker with confirms, so a broker failover loses none.
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": full_name,
                    "x-dead-letter-strategy": "at-least-once",
                    "x-overflow": "reject-publish",
                },
            )
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
        return cls(connection, channel, exchange, queues, namespace, dead_letters)

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

    async def consume(
        self,
        queue_name: str,
        handle: MessageHandler,
        prefetch: int = 10,
        retry: RetryPolicy = RetryPolicy(),
    ) -> None:
        """Run `handle` for each message, at most `prefetch` at a time; ack after it returns (its
        work committed). A failure is retried after a growing pause, `retry.attempts` times in
        all, then dead-lettered with its reason; a poison message is dead-lettered at once."""
        await self.channel.set_qos(prefetch_count=prefetch)
        queue = self.queues[queue_name]

        async def on_message(message: AbstractIncomingMessage) -> None:
            task = asyncio.current_task()
            self._in_hand.add(task)
            try:
                await self._settle(queue_name, message, handle, retry)
            except Exception:
                # It could not be acked, retried or parked (broker trouble): give it back. The
                # broker's delivery limit still bounds how often it comes round.
                log.exception("message not settled", queue=queue_name, id=message.message_id)
                with suppress(Exception):
                    await message.nack(requeue=True)
            finally:
                self._in_hand.discard(task)

        self._consumers.append((queue, await queue.consume(on_message)))

    async def _settle(
        self,
        queue_name: str,
        message: AbstractIncomingMessage,
        handle: MessageHandler,
        retry: RetryPolicy,
    ) -> None:
        attempt = int((message.headers or {}).get(ATTEMPTS_HEADER, 0)) + 1
        context = {"queue": queue_name, "message_id": message.message_id, "type": message.type}
        try:
            await handle(message)
        except Exception as error:
            MESSAGES_FAILED.labels(queue_name).inc()
            poison = isinstance(error, PoisonMessage)
            reason = str(error) if poison else repr(error)
            if poison or attempt >= retry.attempts:
                await self._dead_letter(queue_name, message, attempt, reason)
                log.error("message dead-lettered", attempts=attempt, reason=reason, **context)
            else:
                delay = retry.delay_after(attempt)
                await self._retry_later(queue_name, message, attempt, delay)
                log.warning(
                    "message failed, will retry",
                    attempt=attempt,
                    retry_in=delay,
                    reason=reason,
                    **context,
                )
            return
        await message.ack()
        MESSAGES_PROCESSED.labels(queue_name).inc()

    async def _retry_later(
        self, queue_name: str, message: AbstractIncomingMessage, attempt: int, delay: float
    ) -> None:
        """Park the message in `<queue>.retry` for `delay` seconds, then ack it. Parked rather
        than held here, it takes no prefetch slot meanwhile and a stop need not wait for it."""
        await self.channel.default_exchange.publish(
            _copy(message, {ATTEMPTS_HEADER: attempt}, expiration=delay),
            self.namespace + queue_name + RETRY_SUFFIX,
            mandatory=True,
            timeout=PUBLISH_TIMEOUT_SECONDS,
        )
        await message.ack()

    async def _dead_letter(
        self, queue_name: str, message: AbstractIncomingMessage, attempts: int, reason: str
    ) -> None:
        """Park the message in `<queue>.dlq` with why and after how many attempts, then ack it."""
        headers = {ATTEMPTS_HEADER: attempts, FAILURE_REASON_HEADER: reason[:1000]}
        assert self.dead_letters is not None, "set by Broker.connect"
        await self.dead_letters.publish(
            _copy(message, headers),
            self.namespace + queue_name,
            mandatory=True,
            timeout=PUBLISH_TIMEOUT_SECONDS,
        )
        await message.ack()
        MESSAGES_DEAD_LETTERED.labels(queue_name).inc()

    async def close(self) -> None:
        """Stop taking messages, finish those in hand (ack, retry or dead-letter), then close.
        What is still unacked when the connection closes goes back to its queue."""
        for queue, consumer_tag in self._consumers:
            # The connection may already be gone; then there is nothing left to stop.
            with suppress(Exception):
                await queue.cancel(consumer_tag, timeout=PUBLISH_TIMEOUT_SECONDS)
        if self._in_hand:
            log.info("finishing messages in hand", count=len(self._in_hand))
            await asyncio.wait(self._in_hand, timeout=STOP_TIMEOUT_SECONDS)
        await self.connection.close()


def _copy(
    message: AbstractIncomingMessage, headers: dict, expiration: float | None = None
) -> aio_pika.Message:
    """The message re-published as it came, with `headers` added; the broker's own counters and
    death records are left out, since the copy is a new message."""
    kept = {
        name: value
        for name, value in (message.headers or {}).items()
        if not name.startswith(("x-death", "x-delivery-count", "x-first-death", "x-last-death"))
    }
    return aio_pika.Message(
        message.body,
        headers={**kept, **headers},
        content_type=message.content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=message.message_id,
        type=message.type,
        correlation_id=message.correlation_id,
        timestamp=message.timestamp,
        expiration=expiration,
    )


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
            for suffix in ("", RETRY_SUFFIX, DLQ_SUFFIX):
                await channel.queue_delete(namespace + name + suffix)
        await channel.exchange_delete(namespace + EXCHANGE)
        await channel.exchange_delete(namespace + DEAD_LETTER_EXCHANGE)
