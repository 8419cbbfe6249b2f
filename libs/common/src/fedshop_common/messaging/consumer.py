"""Consuming events: ack after the handler's work is committed; a failure waits in a delay
queue and comes back, with exponential backoff, until the retry policy gives up; then it is
dead-lettered with its reason and attempt count. A poison message is dead-lettered at once.

The consumer has a connection of its own; its retries and dead letters are published through
the publisher's connection (with confirms, the message acked only once they are confirmed).

Traces: with tracing on (fedshop_common.tracing), the aio-pika instrumentation wraps every
handler in a consumer span that continues the W3C context of the message's headers; the copies
parked here are published inside it, so a retried message stays in its trace."""

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import TypeVar

import aio_pika
import structlog
from aio_pika.abc import AbstractIncomingMessage, AbstractQueue, AbstractRobustConnection
from pydantic import BaseModel, ValidationError

from fedshop_common.messaging.connection import connect
from fedshop_common.messaging.metrics import (
    MESSAGES_DEAD_LETTERED,
    MESSAGES_FAILED,
    MESSAGES_PROCESSED,
    MESSAGES_RETRIED,
    QUEUE_DEPTH,
)
from fedshop_common.messaging.publisher import Publisher
from fedshop_common.messaging.publishers import PublisherRules
from fedshop_common.messaging.retry import ATTEMPTS_HEADER, FAILURE_REASON_HEADER, RetryPolicy
from fedshop_common.messaging.topology import EXCHANGE, QueueSpec, declare_queue

STOP_TIMEOUT_SECONDS = 30
DEFAULT_RETRY = RetryPolicy()

log = structlog.get_logger()

EventModel = TypeVar("EventModel", bound=BaseModel)
MessageHandler = Callable[[AbstractIncomingMessage], Awaitable[None]]


class PoisonMessage(Exception):
    """A message that can never be processed: it goes to the dead-letter queue at once."""


def parse_event(message: AbstractIncomingMessage, model: type[EventModel]) -> EventModel:
    try:
        return model.model_validate_json(message.body)
    except ValidationError as error:
        raise PoisonMessage(f"not a valid {model.__name__}: {error.errors()[:3]}") from error


@dataclass(frozen=True)
class Subscription:
    spec: QueueSpec
    handle: MessageHandler
    prefetch: int
    retry: RetryPolicy


class Consumer:
    def __init__(
        self, url: str, namespace: str, name: str, publisher: Publisher, publishers: str = ""
    ) -> None:
        self._url = url
        self._publishers = PublisherRules(publishers, publisher.user)
        self._namespace = namespace
        self._name = f"{name} consumer"
        self._publisher = publisher
        self._subscriptions: list[Subscription] = []
        self._connection: AbstractRobustConnection | None = None
        self._consuming: list[tuple[AbstractQueue, str]] = []
        self._in_hand: set[asyncio.Task] = set()

    def subscribe(
        self,
        spec: QueueSpec,
        handle: MessageHandler,
        prefetch: int = 10,
        retry: RetryPolicy = DEFAULT_RETRY,
    ) -> None:
        """Consume `spec` with `handle` once started; at most `prefetch` messages in hand."""
        self._subscriptions.append(Subscription(spec, handle, prefetch, retry))

    @property
    def subscriptions(self) -> list[Subscription]:
        return list(self._subscriptions)

    async def start(self) -> None:
        """Connect (waiting for the broker as long as it takes), declare, consume. Once started,
        aio-pika restores the channels and consumers after a lost connection by itself."""
        if not self._subscriptions:
            return
        await self._publisher.wait_connected()
        self._connection = await connect(self._url, self._name)
        for subscription in self._subscriptions:
            channel = await self._connection.channel()
            await channel.set_qos(prefetch_count=subscription.prefetch)
            queue = await declare_queue(
                channel, subscription.spec, self._namespace, subscription.retry
            )
            tag = await queue.consume(self._on_message_of(subscription))
            self._consuming.append((queue, tag))

    async def check(self) -> None:
        """For readiness: raises while a consumer that should run is not connected."""
        if self._subscriptions and (self._connection is None or self._connection.is_closed):
            raise ConnectionError("consumer connection closed")

    def _on_message_of(self, subscription: Subscription):  # noqa: ANN202
        async def on_message(message: AbstractIncomingMessage) -> None:
            task = asyncio.current_task()
            self._in_hand.add(task)
            try:
                await self._settle(subscription, message)
            except Exception:
                # It could not be acked, retried or parked (broker trouble): give it back. The
                # queue's delivery limit still bounds how often it comes round.
                log.exception("message not settled", queue=subscription.spec.name)
                with suppress(Exception):
                    await message.nack(requeue=True)
            finally:
                self._in_hand.discard(task)

        return on_message

    async def _settle(self, subscription: Subscription, message: AbstractIncomingMessage) -> None:
        queue = subscription.spec.name
        attempt = int((message.headers or {}).get(ATTEMPTS_HEADER, 0)) + 1
        context = {"queue": queue, "message_id": message.message_id, "type": message.type}
        try:
            if refusal := self._publishers.refusal(message, self._namespace + EXCHANGE):
                raise PoisonMessage(refusal)
            await subscription.handle(message)
        except Exception as error:
            MESSAGES_FAILED.labels(queue).inc()
            poison = isinstance(error, PoisonMessage)
            reason = str(error) if poison else repr(error)
            delay = None if poison else subscription.retry.delay_after(attempt)
            if delay is None:
                await self._park(message, subscription.spec.dlq(self._namespace), attempt, reason)
                MESSAGES_DEAD_LETTERED.labels(queue).inc()
                log.error("message dead-lettered", attempts=attempt, reason=reason, **context)
            else:
                target = subscription.spec.delay_queue(self._namespace, delay)
                await self._park(message, target, attempt, reason)
                MESSAGES_RETRIED.labels(queue).inc()
                log.warning(
                    "message failed, will retry",
                    attempt=attempt,
                    retry_in=delay,
                    reason=reason,
                    **context,
                )
            return
        await message.ack()
        MESSAGES_PROCESSED.labels(queue).inc()

    async def _park(
        self, message: AbstractIncomingMessage, queue_name: str, attempts: int, reason: str
    ) -> None:
        """Copy the message into `queue_name` with why and after how many attempts, confirmed,
        then ack the original. Parked rather than held here, it takes no prefetch slot
        meanwhile, and a stop need not wait for it."""
        headers = {ATTEMPTS_HEADER: attempts, FAILURE_REASON_HEADER: reason[:1000]}
        await self._publisher.publish_to_queue(queue_name, copy_message(message, headers))
        await message.ack()

    async def sample_depths(self) -> None:
        """Set the queue-depth gauges: each consumed queue, its delay queues and its DLQ."""
        if self._connection is None or self._connection.is_closed:
            return
        channel = await self._connection.channel()
        try:
            for subscription in self._subscriptions:
                spec = subscription.spec
                names = {
                    "main": [spec.full_name(self._namespace)],
                    "retry": [
                        spec.delay_queue(self._namespace, delay)
                        for delay in subscription.retry.delays
                    ],
                    "dlq": [spec.dlq(self._namespace)],
                }
                for kind, queue_names in names.items():
                    count = 0
                    for name in queue_names:
                        declared = await channel.declare_queue(name, passive=True)
                        count += declared.declaration_result.message_count or 0
                    QUEUE_DEPTH.labels(spec.name, kind).set(count)
        finally:
            await channel.close()

    async def close(self) -> None:
        """Stop taking messages, finish those in hand (ack, retry or dead-letter), then close.
        What is still unacked when the connection closes goes back to its queue."""
        # All at once: the connection may already be gone, and then each would wait its timeout.
        await asyncio.gather(
            *(queue.cancel(tag, timeout=10) for queue, tag in self._consuming),
            return_exceptions=True,
        )
        if self._in_hand:
            log.info("finishing messages in hand", count=len(self._in_hand))
            await asyncio.wait(self._in_hand, timeout=STOP_TIMEOUT_SECONDS)
        if self._connection is not None:
            await self._connection.close()


def copy_message(message: AbstractIncomingMessage, headers: dict) -> aio_pika.Message:
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
        user_id=None,
    )
