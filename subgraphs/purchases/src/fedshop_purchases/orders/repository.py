"""Every read and write of the orders tables (the outbox is the shared one)."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from fedshop_common.events import Event, OrderEmailSent, OrderStatus
from fedshop_common.outbox import add_event
from fedshop_common.pages import Keyset, Page, PageRequest, fetch_page, fetch_pages_per_owner
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from fedshop_purchases.orders.models import Order, OrderLine

# A user's orders, newest first.
ORDERS_NEWEST_FIRST = Keyset((col(Order.placed_at), col(Order.id)), descending=True)


@dataclass
class OrderView:
    """An order with its lines, in the order the buyer listed them."""

    order: Order
    lines: list[OrderLine]


def add_order(session: AsyncSession, order: Order, lines: list[OrderLine], event: Event) -> None:
    """The order, its lines and its event, in the caller's transaction: all stored or none."""
    session.add(order)
    session.add_all(lines)
    add_event(session, event)


async def with_lines(session: AsyncSession, orders: Sequence[Order]) -> list[OrderView]:
    """The orders with their lines: one query however many orders."""
    ids = [order.id for order in orders]
    found: dict[uuid.UUID, list[OrderLine]] = {order_id: [] for order_id in ids}
    if ids:
        query = (
            select(OrderLine)
            .where(col(OrderLine.order_id).in_(ids))
            .order_by(col(OrderLine.order_id), col(OrderLine.position))
        )
        for line in await session.scalars(query):
            found[line.order_id].append(line)
    return [OrderView(order, found[order.id]) for order in orders]


async def orders_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[OrderView]:
    orders = (await session.scalars(select(Order).where(col(Order.id).in_(ids)))).all()
    return await with_lines(session, orders)


async def order_by_idempotency_key(
    session: AsyncSession, user_id: int, key: str
) -> OrderView | None:
    order = await session.scalar(
        select(Order).where(col(Order.user_id) == user_id, col(Order.idempotency_key) == key)
    )
    return (await with_lines(session, [order]))[0] if order else None


async def page_of_user_orders(
    session: AsyncSession, user_id: int, page: PageRequest
) -> Page[OrderView]:
    query = select(Order).where(col(Order.user_id) == user_id)
    found = await fetch_page(session, query, ORDERS_NEWEST_FIRST, page)
    views = await with_lines(session, found.rows)
    return Page(views, found.cursors, found.has_next, found.total_count)


async def order_pages(
    session: AsyncSession, user_ids: Sequence[int], page: PageRequest
) -> dict[int, Page[OrderView]]:
    """A page of orders (newest first) for each of these users, with their lines: two queries
    for a whole page of users."""
    pages = await fetch_pages_per_owner(
        session, Order, col(Order.user_id), user_ids, ORDERS_NEWEST_FIRST, page
    )
    views = {
        view.order.id: view
        for view in await with_lines(session, [o for p in pages.values() for o in p.rows])
    }
    return {user_id: found.map(lambda o: views[o.id]) for user_id, found in pages.items()}


async def order_for_update(session: AsyncSession, order_id: uuid.UUID) -> OrderView | None:
    """The order, locked until the caller's transaction ends: one settlement at a time."""
    order = await session.scalar(
        select(Order)
        .where(col(Order.id) == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await with_lines(session, [order]))[0] if order else None


async def overdue_for_update(
    session: AsyncSession, waited: timedelta, limit: int
) -> list[OrderView]:
    """Up to `limit` orders awaiting payment for longer than `waited`, locked; rows another
    transaction holds (another replica's batch, a payment being settled) are skipped."""
    query = (
        select(Order)
        .where(
            col(Order.status) == OrderStatus.AWAITING_PAYMENT,
            col(Order.placed_at) < func.now() - waited,
        )
        .order_by(col(Order.placed_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return await with_lines(session, (await session.scalars(query)).all())


async def record_email(session: AsyncSession, email: OrderEmailSent) -> bool:
    """Store the reported email once; False when it was already stored (a redelivery)."""
    recorded = await session.scalar(
        update(Order)
        .where(col(Order.id) == email.order_id, col(Order.email_sent_at).is_(None))
        .values(
            email_kind=email.kind,
            email_recipient=email.recipient,
            email_subject=email.subject,
            email_sent_at=email.sent_at,
        )
        .returning(col(Order.id))
    )
    return recorded is not None
