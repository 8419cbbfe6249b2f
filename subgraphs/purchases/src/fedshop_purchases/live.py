"""Changes of purchases and orders fanned out through Redis pub/sub, so a subscriber on any
replica hears them.

One pub/sub connection per process, whatever the number of subscribers (of purchases and orders
alike): a reader task takes every message from it and wakes the local listeners of that
purchase or order. (One connection per subscriber would drain the shared Redis pool, and the
cache with it, at a hundred subscribers.) A channel is subscribed while at least one local
listener wants it. When Redis is down the listeners keep re-reading the database on their own
schedule, and are woken once it is back.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fedshop_common.errors import NotFound
from fedshop_common.ids import parse_uuid
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = structlog.get_logger()

# How long `listen` waits for Redis to confirm a subscription before going on without it.
SUBSCRIBE_CONFIRM_SECONDS = 1.0
READ_TIMEOUT_SECONDS = 1.0
REDIS_RETRY_SECONDS = 1.0


class LiveChanges:
    def __init__(self, redis: Redis, namespace: str) -> None:
        self._redis = redis
        self._namespace = namespace
        self._pubsub = None
        self._reader: asyncio.Task | None = None
        self._listeners: dict[str, set[ChangeListener]] = {}
        self._confirmed: dict[str, asyncio.Event] = {}
        # One command at a time on the connection: concurrent first subscribes would each take
        # a connection of their own from the pool.
        self._commands = asyncio.Lock()

    def _channel(self, kind: str, entity_id: object) -> str:
        return f"{self._namespace}fedshop:{kind}-changed:{entity_id}"

    async def announce(self, entity_id: object, kind: str = "purchase") -> None:
        """`kind` is what changed: a "purchase" or an "order"."""
        await self._redis.publish(self._channel(kind, entity_id), "changed")

    @property
    def listening(self) -> int:
        """Local listeners right now (all share the one connection)."""
        return sum(len(listeners) for listeners in self._listeners.values())

    @asynccontextmanager
    async def listen(
        self, entity_id: object, kind: str = "purchase"
    ) -> AsyncIterator["ChangeListener"]:
        """Listen before reading the current state, so no change can fall between the two.
        The id is checked first: no channel is ever named by what a client typed."""
        parsed = parse_uuid(entity_id)
        if parsed is None:
            raise NotFound(f"{kind} {entity_id} not found")
        channel = self._channel(kind, parsed)
        listener = ChangeListener()
        listeners = self._listeners.setdefault(channel, set())
        first = not listeners
        listeners.add(listener)
        try:
            if first:
                await self._subscribe(channel)
            yield listener
        finally:
            listeners.discard(listener)
            if not listeners and self._listeners.get(channel) is listeners:
                del self._listeners[channel]
                await self._unsubscribe(channel)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()

    async def _subscribe(self, channel: str) -> None:
        if self._pubsub is None:
            self._pubsub = self._redis.pubsub()
        confirmed = self._confirmed.setdefault(channel, asyncio.Event())
        try:
            async with self._commands:
                await self._pubsub.subscribe(channel)
        except (RedisError, OSError) as error:
            # The reader subscribes it again once Redis answers; meanwhile listeners re-read.
            log.warning("live changes: subscribe failed", error=repr(error))
        self._start_reader()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(SUBSCRIBE_CONFIRM_SECONDS):
                await confirmed.wait()

    async def _unsubscribe(self, channel: str) -> None:
        self._confirmed.pop(channel, None)
        if self._pubsub is None:
            return
        try:
            async with self._commands:
                await self._pubsub.unsubscribe(channel)
        except (RedisError, OSError) as error:
            log.warning("live changes: unsubscribe failed", error=repr(error))

    def _start_reader(self) -> None:
        if self._reader is None or self._reader.done():
            self._reader = asyncio.create_task(self._read(), name="live-changes-reader")

    async def _read(self) -> None:
        """The one reader: every message of the connection, to the listeners of its channel."""
        while True:
            try:
                message = await self._pubsub.get_message(timeout=READ_TIMEOUT_SECONDS)
            except (RedisError, OSError, RuntimeError) as error:  # RuntimeError: never connected
                log.warning("live changes: redis unavailable", error=repr(error))
                await asyncio.sleep(REDIS_RETRY_SECONDS)
                if await self._resubscribe():
                    self._wake_everyone()  # what changed meanwhile was not heard: re-read
                continue
            if message is None:
                if not self._listeners and not self._pubsub.subscribed:
                    await asyncio.sleep(READ_TIMEOUT_SECONDS)
                continue
            channel = _text(message.get("channel"))
            if message["type"] == "subscribe":
                if channel in self._confirmed:
                    self._confirmed[channel].set()
            elif message["type"] == "message":
                for listener in list(self._listeners.get(channel, ())):
                    listener.changed()

    async def _resubscribe(self) -> bool:
        wanted = list(self._listeners)
        if not wanted:
            return False
        try:
            async with self._commands:
                await self._pubsub.subscribe(*wanted)
        except (RedisError, OSError):
            return False  # still down: the next round tries again
        return True

    def _wake_everyone(self) -> None:
        for listeners in self._listeners.values():
            for listener in listeners:
                listener.changed()


class ChangeListener:
    def __init__(self) -> None:
        self._changed = asyncio.Event()

    def changed(self) -> None:
        self._changed.set()

    async def wait(self, seconds: float) -> None:
        """Return at the next change, or after `seconds` (the caller then re-reads anyway)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._changed.wait()
        self._changed.clear()


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
