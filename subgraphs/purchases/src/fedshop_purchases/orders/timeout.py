"""The payment timeout: a background task that cancels orders not paid in time (their stock
comes back), a batch per transaction, as long as there are overdue ones."""

import asyncio
from collections.abc import Awaitable, Callable

from fedshop_purchases.orders.service import TIMEOUT_BATCH, OrdersService

# How often to look, as a share of the timeout: an order is cancelled at most this late.
LOOK_EVERY_SHARE = 0.25
LOOK_EVERY_MAX_SECONDS = 10.0
LOOK_EVERY_MIN_SECONDS = 0.2


def payment_timeout_task(
    orders: OrdersService, timeout_seconds: float
) -> Callable[[], Awaitable[None]]:
    pause = min(
        max(timeout_seconds * LOOK_EVERY_SHARE, LOOK_EVERY_MIN_SECONDS), LOOK_EVERY_MAX_SECONDS
    )

    async def cancel_overdue_orders() -> None:
        while True:
            while await orders.cancel_overdue(timeout_seconds) == TIMEOUT_BATCH:
                pass  # a full batch: there may be more
            await asyncio.sleep(pause)

    return cancel_overdue_orders
