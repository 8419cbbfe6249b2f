"""Every read and write of the payments table."""

import uuid

from sqlalchemy import func, select
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


async def transaction_used(session: AsyncSession, tx_hash: str) -> bool:
    """Whether a succeeded payment was made with this transaction. Locks the hash for the rest of
    the caller's transaction, so two orders naming it are judged one after the other."""
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(tx_hash, 0))))
    used = await session.scalar(
        select(Payment.id).where(Payment.tx_hash == tx_hash, Payment.status == "succeeded")
    )
    return used is not None
