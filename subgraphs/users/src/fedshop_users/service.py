"""The users use cases, shared by the REST routes and the GraphQL resolvers."""

from collections.abc import Sequence

from fedshop_common.ids import parse_int_id
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_users import repository
from fedshop_users.models import User


class UserNotFound(Exception):
    def __init__(self, user_id: object) -> None:
        super().__init__(f"user {user_id} not found")


class UsersService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def list_users(self) -> Sequence[User]:
        async with self._sessions() as session:
            return await repository.list_users(session)

    async def get_user(self, raw_id: object) -> User:
        user_id = parse_int_id(raw_id)
        found = (await self.users_by_ids([user_id]))[0] if user_id is not None else None
        if found is None:
            raise UserNotFound(raw_id)
        return found

    async def users_by_ids(self, ids: Sequence[int]) -> list[User | None]:
        """One query for many ids, in the order asked, None where unknown (the DataLoader batch)."""
        async with self._sessions() as session:
            found = {user.id: user for user in await repository.users_by_ids(session, ids)}
        return [found.get(user_id) for user_id in ids]
