"""Every read and write of the emails tables (`emails` per purchase, `order_emails` per order)."""

import uuid
from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select
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


async def reserve_all(session: AsyncSession, emails: Sequence[StoredEmail]) -> None:
    """`reserve` for many at once: one statement per table."""
    for table in {type(email) for email in emails}:
        rows = {email.key: email.model_dump() for email in emails if type(email) is table}
        await session.execute(insert(table).values(list(rows.values())).on_conflict_do_nothing())


async def lock_all(
    session: AsyncSession, emails: Sequence[StoredEmail]
) -> dict[tuple[type, uuid.UUID], StoredEmail]:
    """`lock` for many at once, in key order (two batches sharing emails never deadlock)."""
    locked: dict[tuple[type, uuid.UUID], StoredEmail] = {}
    for table in {type(email) for email in emails}:
        key_column = getattr(table, table.__table__.primary_key.columns.keys()[0])
        keys = sorted({email.key for email in emails if type(email) is table})
        found = await session.scalars(
            select(table).where(key_column.in_(keys)).order_by(key_column).with_for_update()
        )
        locked |= {(table, email.key): email for email in found}
    return locked
