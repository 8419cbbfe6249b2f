"""Every read and write identity makes: accounts by email, refresh tokens, the admin."""

import uuid
from datetime import datetime

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from fedshop_users.models import RefreshToken, User


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    statement = select(User).where(func.lower(col(User.email)) == email.strip().lower())
    return (await session.scalars(statement)).first()


async def user_by_id(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


def add_refresh_token(session: AsyncSession, token: RefreshToken) -> None:
    session.add(token)


async def refresh_token_for_update(session: AsyncSession, token_hash: str) -> RefreshToken | None:
    """The token with this hash, locked: two uses of one token are decided one after the other."""
    statement = (
        select(RefreshToken).where(col(RefreshToken.token_hash) == token_hash).with_for_update()
    )
    return (await session.scalars(statement)).first()


async def revoke_family(session: AsyncSession, family_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.family_id) == family_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
