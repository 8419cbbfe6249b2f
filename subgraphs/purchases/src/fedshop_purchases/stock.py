"""The sellable stock counter, which only this service decrements, and only in the transaction
that stores the purchase or the order: of concurrent buyers of the last unit, exactly one gets
it. A cancelled order gives its units back."""

from collections.abc import Sequence

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from fedshop_purchases.models import Item


async def item_for_sale(session: AsyncSession, item_id: int) -> Item | None:
    """The item as the database has it now, in the caller's transaction (never the cache)."""
    return (await items_for_sale(session, [item_id])).get(item_id)


async def items_for_sale(session: AsyncSession, item_ids: Sequence[int]) -> dict[int, Item]:
    """The items as the database has them now, in the caller's transaction (never the cache)."""
    found = await session.scalars(
        select(Item).where(col(Item.id).in_(item_ids)).execution_options(populate_existing=True)
    )
    return {item.id: item for item in found if item.id is not None}


async def take(session: AsyncSession, item_id: int, units: int) -> bool:
    """`UPDATE … SET stock = stock - n WHERE … AND stock >= n`: True when the units were taken."""
    taken = await session.scalar(
        update(Item)
        .where(col(Item.id) == item_id, col(Item.stock) >= units)
        .values(stock=col(Item.stock) - units)
        .returning(col(Item.id))
        # Nothing in the session is read for it: no evaluation of the objects it holds.
        .execution_options(synchronize_session=False)
    )
    return taken is not None


async def give_back(session: AsyncSession, item_id: int, units: int) -> None:
    """Return units taken earlier (a cancelled order), in the caller's transaction. An item the
    warehouse stopped counting meanwhile stays unlimited."""
    await session.execute(
        update(Item)
        .where(col(Item.id) == item_id, col(Item.stock).is_not(None))
        .values(stock=col(Item.stock) + units)
    )
