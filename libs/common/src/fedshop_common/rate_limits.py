"""Throttling in Redis with `limits` (moving window): the same counters for every replica.

A limit is written as `limits` parses it ("10/15 minutes"). Over it, `RateLimited` carries how
long to wait (HTTP 429 with `Retry-After`, GraphQL `RATE_LIMITED`). When Redis does not answer
the throttle steps aside (logged): throttling protects the shop, it must not take it down.
"""

import math
import time

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter

from fedshop_common.errors import TooManyRequests

log = structlog.get_logger()


class RateLimited(TooManyRequests):
    def __init__(self, what: str, retry_after_seconds: int) -> None:
        super().__init__(
            f"too many {what}: try again in {retry_after_seconds} s", retry_after_seconds
        )


def _limits_uri(redis_url: str) -> str:
    return redis_url if redis_url.startswith("async+") else f"async+{redis_url}"


class Throttle:
    def __init__(self, redis_url: str, namespace: str, timeout_seconds: float = 0.5) -> None:
        self._storage = RedisStorage(
            _limits_uri(redis_url),
            implementation="redispy",
            key_prefix=f"{namespace}fedshop:limits",
            wrap_exceptions=True,
            socket_timeout=timeout_seconds,
            socket_connect_timeout=timeout_seconds,
        )
        self._limiter = MovingWindowRateLimiter(self._storage)

    async def hit(self, limit: RateLimitItem, what: str, *key: str) -> None:
        """Count one event; RateLimited (and nothing counted) when the limit is reached."""
        try:
            if await self._limiter.hit(limit, *key):
                return
        except Exception as error:  # limits wraps the storage's errors in its own
            _stepped_aside(error)
            return
        raise RateLimited(what, await self._retry_after(limit, *key))

    async def check(self, limit: RateLimitItem, what: str, *key: str) -> None:
        """RateLimited if the next event would be over the limit; counts nothing."""
        try:
            if await self._limiter.test(limit, *key):
                return
        except Exception as error:
            _stepped_aside(error)
            return
        raise RateLimited(what, await self._retry_after(limit, *key))

    async def reset(self, limit: RateLimitItem, *key: str) -> None:
        try:
            await self._limiter.clear(limit, *key)
        except Exception as error:
            _stepped_aside(error)

    async def _retry_after(self, limit: RateLimitItem, *key: str) -> int:
        try:
            stats = await self._limiter.get_window_stats(limit, *key)
            return max(1, math.ceil(stats.reset_time - time.time()))
        except Exception:
            return limit.get_expiry()


def _stepped_aside(error: Exception) -> None:
    log.warning("rate limits unavailable, not throttling", error=repr(error))


def parse_limit(text: str) -> RateLimitItem:
    return parse(text)
