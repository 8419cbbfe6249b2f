"""Connecting to RabbitMQ: robust connections (aio-pika reconnects them and restores their
channels, queues and consumers), the first connect retried until the broker answers."""

import aio_pika
from aio_pika.abc import AbstractRobustConnection

from fedshop_common.background import retrying_forever

MAX_CONNECT_BACKOFF_SECONDS = 30.0


async def connect(url: str, name: str) -> AbstractRobustConnection:
    """A robust connection named `name` (shown in the broker's connection list); waits for the
    broker as long as it takes, backing off to MAX_CONNECT_BACKOFF_SECONDS between tries."""
    retrying = retrying_forever(
        "broker unreachable, retrying",
        MAX_CONNECT_BACKOFF_SECONDS,
        on=(OSError, ConnectionError, aio_pika.exceptions.AMQPError),
        connection=name,
    )
    async for attempt in retrying:
        with attempt:
            return await aio_pika.connect_robust(url, client_properties={"connection_name": name})
    raise AssertionError("unreachable: tenacity retries until it returns")
