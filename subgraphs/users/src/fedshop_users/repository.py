"""Every read and write of the users table."""

from collections.abc import Sequence

from fedshop_common.pages import Keyset, Page, PageRequest, fetch_page
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from fedshop_users.models import User

EMAIL_UNIQUE_INDEX = "users_email_lower_key"


async def list_users(session: AsyncSession) -> Sequence[User]:
    return (await session.scalars(select(User).order_by(col(User.id)))).all()


BY_ID = Keyset((col(User.id),))


async def page_of_users(session: AsyncSession, page: PageRequest) -> Page[User]:
    return await fetch_page(session, select(User), BY_ID, page)


async def users_by_ids(session: AsyncSession, ids: Sequence[int]) -> Sequence[User]:
    return (await session.scalars(select(User).where(col(User.id).in_(ids)))).all()


async def add_user(session: AsyncSession, user: User) -> User:
    """Raises IntegrityError naming EMAIL_UNIQUE_INDEX when the email is taken (in any case)."""
    session.add(user)
    await session.flush()
    return user
