"""Every read and write of the sale's tables."""

import uuid
from collections.abc import Sequence

from fedshop_common.pages import Keyset, Page, PageRequest, fetch_page
from sqlalchemy import insert, literal, true, update
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


async def add_entry(session: AsyncSession, entry: SaleEntry, capacity: int) -> int | None:
    """Give the entry the next place of its sale's queue and store it, in one statement; the
    places decided so far, or None when the queue is full. The sale's row stays locked until
    the caller commits (so make this the transaction's last statement: the queue waits on it),
    and entries commit in the order of their places: when place n is visible, so is every
    place before it."""
    place = (
        update(Sale)
        .where(col(Sale.id) == entry.sale_id, col(Sale.entered) < capacity)
        .values(entered=col(Sale.entered) + 1)
        .returning(col(Sale.entered), col(Sale.decided))
        .cte("place")
    )
    columns = SaleEntry.__table__.c
    given = ("id", "sale_id", "user_id", "status", "queue_token", "entered_at")
    added = (
        insert(SaleEntry)
        .from_select(
            [*given, "seq"],
            select(
                *(literal(getattr(entry, name), columns[name].type) for name in given),
                place.c.entered,
            ),
        )
        .returning(col(SaleEntry.seq))
        .cte("added")
    )
    both = select(added.c.seq, place.c.decided).select_from(added).join(place, true())
    taken = (await session.execute(both)).first()
    if taken is None:
        return None
    entry.seq = taken.seq
    return taken.decided


async def sale_and_entry_of(
    session: AsyncSession, sale_id: uuid.UUID, user_id: int
) -> tuple[Sale | None, SaleEntry | None]:
    """The sale and the user's entry in its queue (None for what is not there), in one query."""
    found = (
        await session.execute(
            select(Sale, SaleEntry)
            .outerjoin(
                SaleEntry,
                (col(SaleEntry.sale_id) == col(Sale.id)) & (col(SaleEntry.user_id) == user_id),
            )
            .where(col(Sale.id) == sale_id)
            .execution_options(populate_existing=True)
        )
    ).first()
    return (found[0], found[1]) if found else (None, None)


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
