"""The consumer of `purchases.catalog`: item events and stock deltas into the copy."""

from collections.abc import Awaitable, Callable

import structlog
from aio_pika.abc import AbstractIncomingMessage
from fedshop_common.database import transaction
from fedshop_common.events import ItemChanged, StockAdjusted
from fedshop_common.messaging import PoisonMessage, parse_event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_purchases.catalog import repository

log = structlog.get_logger()


class ItemNotYetKnown(Exception):
    """A delta for an item whose `item.created` has not arrived: retried later, not lost."""


class CatalogCopy:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        changed: Callable[[int], Awaitable[None]],
    ) -> None:
        self._sessions = sessions
        self._changed = changed  # e.g. the cache forgets the item

    async def apply_item(self, event: ItemChanged) -> bool:
        async with transaction(self._sessions) as session:
            applied = await repository.upsert_item(session, event.item)
        if applied:
            await self._changed(event.item.id)
        return applied

    async def apply_stock(self, event: StockAdjusted) -> bool:
        async with transaction(self._sessions) as session:
            if not await repository.first_time(session, event.event_id):
                return False
            if not await repository.add_stock(session, event.item_id, event.delta):
                raise ItemNotYetKnown(f"item {event.item_id} not in the copy yet")
        await self._changed(event.item_id)
        return True


def catalog_handler(copy: CatalogCopy):  # noqa: ANN201
    async def handle(message: AbstractIncomingMessage) -> None:
        kind = message.type or message.routing_key or ""
        if kind.startswith("item."):
            event = parse_event(message, ItemChanged)
            if await copy.apply_item(event):
                log.info("item copied", item_id=event.item.id, version=event.item.version)
        elif kind.startswith("stock."):
            stock = parse_event(message, StockAdjusted)
            if await copy.apply_stock(stock):
                log.info("stock adjusted", item_id=stock.item_id, delta=stock.delta)
        else:
            raise PoisonMessage(f"unexpected event {kind!r} on the catalog queue")

    return handle
