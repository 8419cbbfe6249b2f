"""Every read and write of the emails table."""

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from fedshop_email_worker.models import Email


async def reserve(session: AsyncSession, email: Email) -> None:
    """Insert the purchase's email in state `reserved`, unless the purchase already has one."""
    await session.execute(insert(Email).values(**email.model_dump()).on_conflict_do_nothing())


async def lock(session: AsyncSession, purchase_id: uuid.UUID) -> Email:
    """The purchase's email, locked until the transaction ends: a second delivery of the same
    purchase waits here, then finds the email sent."""
    statement = select(Email).where(Email.purchase_id == purchase_id).with_for_update()
    return (await session.execute(statement)).scalar_one()
