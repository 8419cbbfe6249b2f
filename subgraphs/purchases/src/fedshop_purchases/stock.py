"""The sellable stock counter, which only this service decrements, and only in the transaction
that stores the purchase or the order: of concurrent buyers of the last unit, exactly one gets
it. A cancelled order gives its units back."""

from collections.abc import Sequence

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from fedshop_purchases.models import Item


async def item_for_sale(session: AsyncSession, item_id: int) -> Row | None:
    """The item as the database has it now, in the caller's transaction (never the cache)."""
    return (await items_for_sale(session, [item_id])).get(item_id)


async def items_for_sale(session: AsyncSession, item_ids: Sequence[int]) -> dict[int, Row]:
    """The items as the database has them now, in the caller's transaction (never the cache):
    rows with the items' columns as attributes. Read in Core, the rows are always fresh and
    nothing is loaded into the session (this is on every purchase's path)."""
    items = Item.__table__
    found = await session.execute(select(items).where(items.c.id.in_(item_ids)))
    return {row.id: row for row in found}


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
