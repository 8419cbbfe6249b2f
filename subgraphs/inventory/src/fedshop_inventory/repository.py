"""Every read and write of the inventory's tables (the outbox is the shared one)."""

import uuid
from collections.abc import Sequence

from fedshop_common.pages import Keyset, Page, PageRequest, fetch_page
from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from fedshop_inventory.models import AppliedSale, Item

BY_ID = Keyset((col(Item.id),))


async def list_items(session: AsyncSession) -> Sequence[Item]:
    return (await session.scalars(select(Item).order_by(col(Item.id)))).all()


async def page_of_items(session: AsyncSession, page: PageRequest) -> Page[Item]:
    return await fetch_page(session, select(Item), BY_ID, page)


async def items_by_ids(session: AsyncSession, ids: Sequence[int]) -> Sequence[Item]:
    return (await session.scalars(select(Item).where(col(Item.id).in_(ids)))).all()


async def item_for_update(session: AsyncSession, item_id: int) -> Item | None:
    return await session.scalar(select(Item).where(col(Item.id) == item_id).with_for_update())


async def record_sale(
    session: AsyncSession, event_id: uuid.UUID, lines: Sequence[tuple[int, int]]
) -> bool:
    """Count a sale's lines (item id, units) once per event id; False when this event was
    counted before."""
    fresh = await session.scalar(
        insert(AppliedSale)
        .values(event_id=event_id, applied_at=func.now())
        .on_conflict_do_nothing()
        .returning(col(AppliedSale.event_id))
    )
    if fresh is None:
        return False
    for item_id, units in lines:
        await session.execute(
            update(Item).where(col(Item.id) == item_id).values(sold=col(Item.sold) + units)
        )
    return True
