"""Purchase changes fanned out through Redis pub/sub, so a subscriber on any replica hears them."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis


class PurchaseChanges:
    def __init__(self, redis: Redis, namespace: str) -> None:
        self._redis = redis
        self._namespace = namespace

    def _channel(self, purchase_id: object) -> str:
        return f"{self._namespace}fedshop:purchase-changed:{purchase_id}"

    async def announce(self, purchase_id: object) -> None:
        await self._redis.publish(self._channel(purchase_id), "changed")

    @asynccontextmanager
    async def listen(self, purchase_id: object) -> AsyncIterator["ChangeListener"]:
        """Listen before reading the current state, so no change can fall between the two."""
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self._channel(purchase_id))
        try:
            yield ChangeListener(pubsub)
        finally:
            await pubsub.aclose()


class ChangeListener:
    def __init__(self, pubsub) -> None:  # noqa: ANN001 (redis' PubSub)
        self._pubsub = pubsub

    async def wait(self, seconds: float) -> None:
        """Return at the next change, or after `seconds` (the caller then re-reads anyway)."""
        deadline = asyncio.get_running_loop().time() + seconds
        while (remaining := deadline - asyncio.get_running_loop().time()) > 0:
            if await self._pubsub.get_message(timeout=remaining):
                return
