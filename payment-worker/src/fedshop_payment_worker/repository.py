"""Every read and write of the payments table."""

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from fedshop_payment_worker.models import Payment


async def payment_of(session: AsyncSession, order_id: uuid.UUID) -> Payment | None:
    return await session.scalar(select(Payment).where(Payment.order_id == order_id))


async def record_once(session: AsyncSession, payment: Payment) -> bool:
    """Insert the order's payment unless it has one; True when this call inserted it. A second
    delivery of the same order racing this one waits on the unique index, then inserts nothing."""
    inserted = await session.scalar(
        insert(Payment)
        .values(**payment.model_dump())
        .on_conflict_do_nothing(index_elements=["order_id"])
        .returning(Payment.id)
    )
    return inserted is not None
