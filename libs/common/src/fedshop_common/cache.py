"""Redis cache-aside: TTL with jitter, one fill per key at a time, PostgreSQL when Redis is down.

Values are JSON. A read that misses loads from the database and fills the key; a write deletes
the keys it changed after its transaction commits. While Redis is unreachable the cache steps
aside for a short while (every call goes to the loader), logs the outage once, and reports it.
"""

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = structlog.get_logger()

JsonValue = Any
# How long the cache stays out of the way after Redis failed, before it tries again.
RETRY_AFTER_SECONDS = 5.0
# A fill that holds its lock longer than this is presumed dead; others may then fill.
FILL_LOCK_SECONDS = 5.0
FILL_WAIT_STEP_SECONDS = 0.02


class Cache:
    def __init__(self, redis: Redis, prefix: str, ttl_seconds: float, jitter: float = 0.1) -> None:
        self._redis = redis
        self._prefix = prefix
        self._ttl = ttl_seconds
        self._jitter = jitter
        self._down_until = 0.0
        self._outage_logged = False
        self._fills: dict[str, asyncio.Future] = {}  # this process's fills in flight, by key

    # --- state ---------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _went_down(self, error: Exception) -> None:
        if not self._outage_logged:
            log.warning("cache unavailable, reading from the database", error=repr(error))
            self._outage_logged = True
        self._down_until = time.monotonic() + RETRY_AFTER_SECONDS

    def _answered(self) -> None:
        if self._outage_logged:
            log.info("cache available again")
            self._outage_logged = False

    async def check(self) -> None:
        """For /health: raises while Redis does not answer."""
        await self._redis.ping()

    def key(self, *parts: object) -> str:
        return ":".join([self._prefix, *map(str, parts)])

    def _ttl_ms(self) -> int:
        # Jitter spreads the expiry of keys filled together, so they don't all miss at once.
        return int(self._ttl * 1000 * random.uniform(1 - self._jitter, 1 + self._jitter))

    # --- reads ---------------------------------------------------------------------------
    async def get_or_load(self, key: str, load: Callable[[], Awaitable[JsonValue]]) -> JsonValue:
        """The cached value of `key`, or `load()`'s, stored for the next reader."""
        if not self.available:
            return await load()
        try:
            cached = await self._redis.get(key)
        except RedisError as error:
            self._went_down(error)
            return await load()
        self._answered()
        if cached is not None:
            return json.loads(cached)
        return await self._fill_once(key, load)

    async def _fill_once(self, key: str, load: Callable[[], Awaitable[JsonValue]]) -> JsonValue:
        """Concurrent misses of one key share one fill: within this process through a future,
        across processes through a short Redis lock whose losers wait for the winner's value."""
        if (in_flight := self._fills.get(key)) is not None:
            return await asyncio.shield(in_flight)
        future = asyncio.get_running_loop().create_future()
        self._fills[key] = future
        try:
            value = await self._fill(key, load)
            future.set_result(value)
            return value
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: waiters re-raise it, nobody logs it as lost
            raise
        finally:
            del self._fills[key]

    async def _fill(self, key: str, load: Callable[[], Awaitable[JsonValue]]) -> JsonValue:
        lock = key + ":filling"
        try:
            deadline = time.monotonic() + FILL_LOCK_SECONDS
            while not await self._redis.set(lock, "1", nx=True, px=int(FILL_LOCK_SECONDS * 1000)):
                if (cached := await self._redis.get(key)) is not None:
                    return json.loads(cached)
                if time.monotonic() > deadline:
                    break  # the holder is presumed dead: fill it ourselves
                await asyncio.sleep(FILL_WAIT_STEP_SECONDS)
        except RedisError as error:
            self._went_down(error)
            return await load()
        try:
            value = await load()
            await self._store_many({key: value})
            return value
        finally:
            await self.invalidate(lock)

    async def get_many_or_load(
        self,
        keys: Sequence[str],
        load_missing: Callable[[list[int]], Awaitable[list[JsonValue]]],
    ) -> list[JsonValue]:
        """Values for many keys in one round trip; `load_missing(positions)` loads the misses in
        one go and returns their values in that order (None for what does not exist, not cached)."""
        values: list[JsonValue] = [None] * len(keys)
        missing = list(range(len(keys)))
        if self.available and keys:
            try:
                cached = await self._redis.mget(keys)
                self._answered()
                missing = [i for i, found in enumerate(cached) if found is None]
                for i, found in enumerate(cached):
                    if found is not None:
                        values[i] = json.loads(found)
            except RedisError as error:
                self._went_down(error)
        if not missing:
            return values
        loaded = await load_missing(missing)
        for position, value in zip(missing, loaded, strict=True):
            values[position] = value
        await self._store_many({keys[p]: values[p] for p in missing if values[p] is not None})
        return values

    async def _store_many(self, entries: dict[str, JsonValue]) -> None:
        if not entries or not self.available:
            return
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for key, value in entries.items():
                    pipe.set(key, json.dumps(value), px=self._ttl_ms())
                await pipe.execute()
        except RedisError as error:
            self._went_down(error)

    # --- writes --------------------------------------------------------------------------
    async def invalidate(self, *keys: str) -> None:
        """Call after the write committed. If Redis is down the TTL bounds the staleness."""
        try:
            await self._redis.delete(*keys)
        except RedisError as error:
            self._went_down(error)


def connect_redis(url: str, timeout_seconds: float) -> Redis:
    """Short timeouts: a slow or absent Redis must cost little, the database answers instead."""
    return Redis.from_url(
        url,
        socket_connect_timeout=timeout_seconds,
        socket_timeout=timeout_seconds,
        retry_on_timeout=False,
    )


class Generation:
    """A family of keys that a change replaces all at once: readers put the current generation
    in their keys, a change bumps it after its commit. A fill that raced with the change stores
    its (old) value under the old generation, where nobody reads it any more — unlike a plain
    delete, which such a fill can undo for a whole TTL."""

    def __init__(self, cache: Cache, name: str) -> None:
        self._cache = cache
        self._key = cache.key(name, "generation")

    async def current(self) -> str:
        if not self._cache.available:
            return "0"
        try:
            value = await self._cache._redis.get(self._key)
        except RedisError as error:
            self._cache._went_down(error)
            return "0"
        return value.decode() if isinstance(value, bytes) else str(value or "0")

    async def bump(self) -> None:
        try:
            await self._cache._redis.incr(self._key)
        except RedisError as error:
            self._cache._went_down(error)
