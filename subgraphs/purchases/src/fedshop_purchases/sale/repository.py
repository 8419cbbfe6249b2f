"""Every read and write of the sale's tables."""

import uuid
from collections.abc import Sequence

from fedshop_common.pages import Keyset, Page, PageRequest, fetch_page
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from fedshop_purchases.sale.models import Sale, SaleEntry

SALES_NEWEST_FIRST = Keyset((col(Sale.created_at), col(Sale.id)), descending=True)


async def sale_by_id(session: AsyncSession, sale_id: uuid.UUID) -> Sale | None:
    return await session.scalar(
        select(Sale).where(col(Sale.id) == sale_id).execution_options(populate_existing=True)
    )


async def sales_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Sale]:
    found = await session.scalars(select(Sale).where(col(Sale.id).in_(ids)))
    return {sale.id: sale for sale in found}


async def page_of_sales(session: AsyncSession, page: PageRequest) -> Page[Sale]:
    return await fetch_page(session, select(Sale), SALES_NEWEST_FIRST, page)


async def sale_for_update(session: AsyncSession, sale_id: uuid.UUID) -> Sale | None:
    """The sale, locked until the caller's transaction ends: one decision at a time."""
    return await session.scalar(
        select(Sale)
        .where(col(Sale.id) == sale_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def take_place(
    session: AsyncSession, sale_id: uuid.UUID, capacity: int
) -> tuple[int, int] | None:
    """The next place in the sale's queue and how many places are decided, or None when the
    queue is full. The row stays locked until the caller commits, so entries commit in the
    order of their places: when place n is visible, so is every place before it."""
    taken = (
        await session.execute(
            update(Sale)
            .where(col(Sale.id) == sale_id, col(Sale.entered) < capacity)
            .values(entered=col(Sale.entered) + 1)
            .returning(col(Sale.entered), col(Sale.decided))
        )
    ).first()
    return (taken[0], taken[1]) if taken else None


async def entry_of_user(
    session: AsyncSession, sale_id: uuid.UUID, user_id: int
) -> SaleEntry | None:
    return await session.scalar(
        select(SaleEntry).where(
            col(SaleEntry.sale_id) == sale_id, col(SaleEntry.user_id) == user_id
        )
    )


async def entry_by_id(session: AsyncSession, entry_id: uuid.UUID) -> SaleEntry | None:
    return await session.scalar(
        select(SaleEntry)
        .where(col(SaleEntry.id) == entry_id)
        .execution_options(populate_existing=True)
    )


async def entry_by_purchase_jti_for_update(
    session: AsyncSession, jti: uuid.UUID
) -> SaleEntry | None:
    """The entry a purchase token was written for, locked: one purchase at a time."""
    return await session.scalar(
        select(SaleEntry)
        .where(col(SaleEntry.purchase_jti) == jti)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def undecided_up_to(
    session: AsyncSession, sale: Sale, seq: int, limit: int
) -> Sequence[SaleEntry]:
    """The entries after the last decided one, up to place `seq`, in their order."""
    return (
        await session.scalars(
            select(SaleEntry)
            .where(
                col(SaleEntry.sale_id) == sale.id,
                col(SaleEntry.seq) > sale.decided,
                col(SaleEntry.seq) <= seq,
            )
            .order_by(col(SaleEntry.seq))
            .limit(limit)
        )
    ).all()
