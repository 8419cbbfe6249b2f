"""Every read and write of the items and purchases tables (the outbox is the shared one)."""

import uuid
from collections.abc import Sequence

from fedshop_common.events import EmailSent, Event
from fedshop_common.outbox import add_event
from fedshop_common.pages import Keyset, Page, PageRequest, fetch_page, page_of
from sqlalchemy import func, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from fedshop_purchases.models import Item, Purchase

ITEMS_BY_ID = Keyset((col(Item.id),))
# A user's purchases, newest first.
PURCHASES_NEWEST_FIRST = Keyset((col(Purchase.created_at), col(Purchase.id)), descending=True)


async def list_items(session: AsyncSession) -> Sequence[Item]:
    """The items on sale (active)."""
    query = select(Item).where(col(Item.active)).order_by(col(Item.id))
    return (await session.scalars(query)).all()


async def page_of_items(session: AsyncSession, page: PageRequest) -> Page[Item]:
    return await fetch_page(session, select(Item).where(col(Item.active)), ITEMS_BY_ID, page)


async def items_by_ids(session: AsyncSession, ids: Sequence[int]) -> Sequence[Item]:
    return (await session.scalars(select(Item).where(col(Item.id).in_(ids)))).all()


async def purchases_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> Sequence[Purchase]:
    return (await session.scalars(select(Purchase).where(col(Purchase.id).in_(ids)))).all()


async def purchase_by_idempotency_key(session: AsyncSession, key: str) -> Purchase | None:
    return await session.scalar(select(Purchase).where(Purchase.idempotency_key == key))


async def purchase_pages(
    session: AsyncSession, user_ids: Sequence[int], page: PageRequest
) -> dict[int, Page[Purchase]]:
    """A page of purchases (newest first) for each of these users, with each one's total: one
    query for a whole page of users. The rows beyond the cursor are numbered per user (a window
    partitioned by user and by "beyond the cursor"), and the first `first + 1` kept."""
    keyset = PURCHASES_NEWEST_FIRST
    beyond = keyset.beyond(page.after, page.after_name) if page.after else true()
    numbered = (
        select(
            Purchase,
            func.count().over(partition_by=col(Purchase.user_id)).label("total"),
            func.row_number()
            .over(partition_by=(col(Purchase.user_id), beyond), order_by=keyset.order_by())
            .label("position"),
            beyond.label("beyond"),
        )
        .where(col(Purchase.user_id).in_(user_ids))
        .subquery()
    )
    row = aliased(Purchase, numbered)
    query = (
        select(row, numbered.c.total)
        .where(numbered.c.beyond, numbered.c.position <= page.first + 1)
        .order_by(numbered.c.user_id, numbered.c.position)
    )
    found: dict[int, list[Purchase]] = {user_id: [] for user_id in user_ids}
    totals: dict[int, int] = {}
    for purchase, total in (await session.execute(query)).all():
        found[purchase.user_id].append(purchase)
        totals[purchase.user_id] = total
    return {
        user_id: page_of(rows, keyset, page.first, totals.get(user_id, 0))
        for user_id, rows in found.items()
    }


def add_with_event(session: AsyncSession, purchase: Purchase, event: Event) -> None:
    """The purchase and its event, in the caller's transaction: both are stored or neither."""
    session.add(purchase)
    add_event(session, event)


async def record_email(session: AsyncSession, email: EmailSent) -> bool:
    """Store the reported email once; False when it was already stored (a redelivery)."""
    recorded = await session.scalar(
        update(Purchase)
        .where(col(Purchase.id) == email.purchase_id, col(Purchase.email_sent_at).is_(None))
        .values(
            email_kind=email.kind,
            email_recipient=email.recipient,
            email_subject=email.subject,
            email_sent_at=email.sent_at,
        )
        .returning(col(Purchase.id))
    )
    return recorded is not None
