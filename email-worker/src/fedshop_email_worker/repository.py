"""Every read and write of the emails table."""

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from fedshop_email_worker.models import Email


async def reserve(session: AsyncSession, email: Email) -> bool:
    """Insert the purchase's email unless it exists; False when it was already there."""
    statement = (
        insert(Email)
        .values(**email.model_dump())
        .on_conflict_do_nothing()
        .returning(Email.purchase_id)  # rowcount is not reliable here; RETURNING is
    )
    return (await session.scalar(statement)) is not None


async def get(session: AsyncSession, purchase_id: object) -> Email:
    email = await session.get(Email, purchase_id)
    assert email is not None, "reserved in an earlier transaction"
    return email
