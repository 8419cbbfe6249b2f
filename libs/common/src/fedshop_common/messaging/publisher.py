"""Publishing events: persistent JSON on the topic exchange, each confirmed by the broker.

The publisher has a connection of its own: a broker alarm that blocks publishers (memory or
disk) must not also stall the acks of the consumers."""

import asyncio

import aio_pika
from aio_pika.abc import AbstractExchange, AbstractRobustConnection

from fedshop_common.messaging.connection import connect
from fedshop_common.messaging.metrics import MESSAGES_PUBLISHED
from fedshop_common.messaging.publishers import broker_user
from fedshop_common.messaging.topology import declare_exchange

PUBLISH_TIMEOUT_SECONDS = 10


class NotConnected(ConnectionError):
    """The publisher has not reached the broker yet."""


class Publisher:
    def __init__(self, url: str, namespace: str, name: str) -> None:
        self._url = url
        self._namespace = namespace
        self._name = f"{name} publisher"
        self._connection: AbstractRobustConnection | None = None
        self._exchange: AbstractExchange | None = None
        self._default_exchange: AbstractExchange | None = None
        self._connected = asyncio.Event()
        # Stamped on every message; the broker refuses a user_id that is not the connection's.
        self.user = broker_user(url)

    async def connect(self) -> None:
        """Waits for the broker as long as it takes (run it in the background)."""
        self._connection = await connect(self._url, self._name)
        # Confirms: publish() waits for the broker's ack. Returns: an unroutable event raises
        # aio_pika.exceptions.DeliveryError instead of vanishing.
        channel = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
        self._exchange = await declare_exchange(channel, self._namespace)
        self._default_exchange = channel.default_exchange
        self._connected.set()

    @property
    def connection(self) -> AbstractRobustConnection | None:
        return self._connection

    async def wait_connected(self) -> None:
        await self._connected.wait()

    async def publish(
        self, routing_key: str, body: bytes, message_id: str, headers: dict | None = None
    ) -> None:
        """Publish a persistent JSON message; returns once the broker has confirmed it."""
        if self._exchange is None:
            raise NotConnected("the publisher has not reached the broker yet")
        message = aio_pika.Message(
            body,
            headers=headers or {},
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=message_id,
            type=routing_key,
            user_id=self.user,
        )
        await self._exchange.publish(
            message, routing_key, mandatory=True, timeout=PUBLISH_TIMEOUT_SECONDS
        )
        MESSAGES_PUBLISHED.labels(routing_key).inc()

    async def publish_to_queue(self, queue_name: str, message: aio_pika.Message) -> None:
        """Straight into one queue (a delay queue, a DLQ, a replay), confirmed."""
        if self._default_exchange is None:
            raise NotConnected("the publisher has not reached the broker yet")
        message.user_id = self.user
        await self._default_exchange.publish(
            message, queue_name, mandatory=True, timeout=PUBLISH_TIMEOUT_SECONDS
        )

    async def check(self) -> None:
        """For readiness: raises while not connected."""
        if self._connection is None or self._connection.is_closed:
            raise NotConnected("publisher connection closed")

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
