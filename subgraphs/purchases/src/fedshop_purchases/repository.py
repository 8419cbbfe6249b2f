"""Every read and write of the items and purchases tables (the outbox is the shared one)."""

import uuid
from collections.abc import Sequence

from fedshop_common.events import EmailSent, Event
from fedshop_common.outbox import add_event
from fedshop_common.pages import Keyset, Page, PageRequest, fetch_page, fetch_pages_per_owner
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
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


async def purchase_by_idempotency_key(
    session: AsyncSession, user_id: int, key: str
) -> Purchase | None:
    """The user's purchase made with this key (keys are the user's own: another user's same key
    is another purchase)."""
    return await session.scalar(
        select(Purchase).where(
            col(Purchase.user_id) == user_id, col(Purchase.idempotency_key) == key
        )
    )


async def purchase_pages(
    session: AsyncSession, user_ids: Sequence[int], page: PageRequest
) -> dict[int, Page[Purchase]]:
    """A page of purchases (newest first) for each of these users, in one query."""
    return await fetch_pages_per_owner(
        session, Purchase, col(Purchase.user_id), user_ids, PURCHASES_NEWEST_FIRST, page
    )


def add_with_event(session: AsyncSession, purchase: Purchase, event: Event) -> None:
    """The purchase and its event, in the caller's transaction: both are stored or neither."""
    session.add(purchase)
    add_event(session, event)


# One statement for a batch of reports: each purchase's email fields from the arrays, where the
# purchase has none yet (a redelivery changes nothing).
_RECORD_EMAILS = text(
    """
    UPDATE purchases AS p
    SET email_kind = r.kind, email_recipient = r.recipient, email_subject = r.subject,
        email_sent_at = r.sent_at
    FROM unnest(
        CAST(:ids AS uuid[]), CAST(:kinds AS text[]), CAST(:recipients AS text[]),
        CAST(:subjects AS text[]), CAST(:sent_ats AS timestamptz[])
    ) AS r(id, kind, recipient, subject, sent_at)
    WHERE p.id = r.id AND p.email_sent_at IS NULL
    RETURNING p.id
    """
)


async def record_emails(session: AsyncSession, emails: Sequence[EmailSent]) -> set[uuid.UUID]:
    """Store each reported email once; the purchases whose email this stored (not those that
    had one already, nor unknown ones)."""
    rows = await session.execute(
        _RECORD_EMAILS,
        {
            "ids": [email.purchase_id for email in emails],
            "kinds": [str(email.kind) for email in emails],
            "recipients": [email.recipient for email in emails],
            "subjects": [email.subject for email in emails],
            "sent_ats": [email.sent_at for email in emails],
        },
    )
    return set(rows.scalars())


async def unknown_purchases(session: AsyncSession, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Those of `ids` that name no purchase."""
    if not ids:
        return set()
    known = await session.scalars(select(Purchase.id).where(col(Purchase.id).in_(ids)))
    return ids - set(known)
