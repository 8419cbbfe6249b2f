"""The sellable stock counter, which only this service decrements, and only in the transaction
that stores the purchase: of concurrent buyers of the last unit, exactly one gets it."""

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from fedshop_purchases.models import Item


async def item_for_sale(session: AsyncSession, item_id: int) -> Item | None:
    """The item as the database has it now, in the caller's transaction (never the cache)."""
    return await session.scalar(
        select(Item).where(col(Item.id) == item_id).execution_options(populate_existing=True)
    )


async def take(session: AsyncSession, item_id: int, units: int) -> bool:
    """`UPDATE … SET stock = stock - n WHERE … AND stock >= n`: True when the units were taken."""
    taken = await session.scalar(
        update(Item)
        .where(col(Item.id) == item_id, col(Item.stock) >= units)
        .values(stock=col(Item.stock) - units)
        .returning(col(Item.id))
    )
    return taken is not None
