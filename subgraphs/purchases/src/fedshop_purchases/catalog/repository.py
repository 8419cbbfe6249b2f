"""The SQL of the catalog copy."""

import uuid

from fedshop_common.events import CatalogItem
from sqlalchemy import case, func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from fedshop_purchases.models import AppliedEvent, Item


async def first_time(session: AsyncSession, event_id: uuid.UUID) -> bool:
    """Mark the event applied; False when it was before (in the caller's transaction)."""
    fresh = await session.scalar(
        insert(AppliedEvent)
        .values(event_id=event_id, applied_at=func.now())
        .on_conflict_do_nothing()
        .returning(col(AppliedEvent.event_id))
    )
    return fresh is not None


async def upsert_item(session: AsyncSession, item: CatalogItem) -> bool:
    """The item as the event tells, unless a version at least as new is stored. A new row's
    stock starts at the item's quantity; later the counter moves by deltas only, except that an
    item the warehouse stopped tracking becomes unlimited. True when something changed."""
    values = {
        "id": item.id,
        "name": item.name,
        "description": item.description,
        "price": item.price,
        "active": item.active,
        "stock": item.quantity,
        "version": item.version,
    }
    statement = insert(Item).values(**values)
    new = statement.excluded
    changed = await session.scalar(
        statement.on_conflict_do_update(
            index_elements=[col(Item.id)],
            set_={
                "name": new.name,
                "description": new.description,
                "price": new.price,
                "active": new.active,
                "version": new.version,
                "stock": case((new.stock.is_(None), None), else_=col(Item.stock)),
            },
            where=col(Item.version) < new.version,
        ).returning(col(Item.id))
    )
    return changed is not None


async def add_stock(session: AsyncSession, item_id: int, delta: int) -> bool:
    """Add a delta to the sellable counter (an untracked item starts counting from 0); never
    below 0. False when the item is not known yet."""
    moved = await session.scalar(
        update(Item)
        .where(col(Item.id) == item_id)
        .values(stock=func.greatest(func.coalesce(col(Item.stock), 0) + delta, 0))
        .returning(col(Item.id))
    )
    return moved is not None
