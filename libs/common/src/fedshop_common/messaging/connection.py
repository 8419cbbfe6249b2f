"""Connecting to RabbitMQ: robust connections (aio-pika reconnects them and restores their
channels, queues and consumers), the first connect retried until the broker answers."""

import aio_pika
import structlog
from aio_pika.abc import AbstractRobustConnection
from tenacity import AsyncRetrying, retry_if_exception_type, wait_exponential_jitter

log = structlog.get_logger()

MAX_CONNECT_BACKOFF_SECONDS = 30.0


async def connect(url: str, name: str) -> AbstractRobustConnection:
    """A robust connection named `name` (shown in the broker's connection list); waits for the
    broker as long as it takes, backing off to MAX_CONNECT_BACKOFF_SECONDS between tries."""
    retrying = AsyncRetrying(
        retry=retry_if_exception_type((OSError, ConnectionError, aio_pika.exceptions.AMQPError)),
        wait=wait_exponential_jitter(multiplier=0.5, max=MAX_CONNECT_BACKOFF_SECONDS),
        before_sleep=lambda state: log.warning(
            "broker unreachable, retrying",
            connection=name,
            error=repr(state.outcome.exception()) if state.outcome else None,
            retry_in=round(state.upcoming_sleep, 1),
        ),
    )
    async for attempt in retrying:
        with attempt:
            return await aio_pika.connect_robust(url, client_properties={"connection_name": name})
    raise AssertionError("unreachable: tenacity retries until it returns")
