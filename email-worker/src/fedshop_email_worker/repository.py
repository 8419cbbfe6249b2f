"""Every read and write of the emails tables (`emails` per purchase, `order_emails` per order)."""

import uuid
from typing import TypeVar

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from fedshop_email_worker.models import StoredEmail

E = TypeVar("E", bound=StoredEmail)


async def reserve(session: AsyncSession, email: StoredEmail) -> None:
    """Insert the email in state `reserved`, unless what it is about already has one."""
    await session.execute(insert(type(email)).values(**email.model_dump()).on_conflict_do_nothing())


async def lock(session: AsyncSession, table: type[E], key: uuid.UUID) -> E:
    """The email, locked until the transaction ends: a second delivery of the same purchase or
    order waits here, then finds the email sent."""
    email = await session.get(table, key, with_for_update=True)
    if email is None:
        raise LookupError(f"no {table.about} email {key}: it was reserved before this")
    return email
