"""The users use cases, shared by the REST routes and the GraphQL resolvers.

Reads go through the Redis cache; a write invalidates what it changed once it has committed.
"""

from collections.abc import Sequence
from typing import Annotated

from fedshop_common.cache import Cache
from fedshop_common.database import transaction
from fedshop_common.errors import Conflict, NotFound
from fedshop_common.ids import parse_int_id
from fedshop_common.pages import Page, PageRequest
from fedshop_common.rate_limits import Throttle, parse_limit
from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_users import repository
from fedshop_users.auth.passwords import MAX_LENGTH, MIN_LENGTH, hash_password
from fedshop_users.models import User

# Printable text only: PostgreSQL refuses NUL, and no name needs a control character.
Name = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]


class UserRecord(BaseModel):
    """A user as every door shows it (the REST field names of the task statement)."""

    model_config = ConfigDict(from_attributes=True)

    id: int = Field(examples=[1])
    first_name: str = Field(examples=["Ada"])
    last_name: str = Field(examples=["Lovelace"])
    # None when the user has no address (created by name only) or when the caller may not see
    # it (signed-in mode: only the user and admins do).
    email: str | None = Field(examples=["ada.lovelace@example.com"])


Password = Annotated[str, StringConstraints(min_length=MIN_LENGTH, max_length=MAX_LENGTH)]


class NewUser(BaseModel):
    """What it takes to create a user: the one place these rules are written."""

    model_config = ConfigDict(extra="forbid")

    first_name: Name = Field(examples=["Katherine"])
    last_name: Name = Field(examples=["Johnson"])
    email: EmailStr = Field(max_length=320, examples=["katherine.johnson@example.com"])
    password: Password | None = Field(
        default=None, description="At least 8 characters; without one the user cannot sign in."
    )


class NewShopUser(BaseModel):
    """The parrot shop's user: a name, and optionally an email and a password. The first word of
    the name is the first name, the rest (possibly empty) the last name."""

    model_config = ConfigDict(extra="forbid")

    name: Name = Field(examples=["Polly Parrot"])
    email: EmailStr | None = Field(default=None, max_length=320, examples=["polly@example.com"])
    password: Password | None = None

    def as_new_user(self) -> "NewAccount":
        first, _, rest = self.name.partition(" ")
        return NewAccount(
            first_name=first, last_name=rest.strip(), email=self.email, password=self.password
        )


class NewAccount(BaseModel):
    """What the service stores, whichever door the user came through (validated there)."""

    first_name: str
    last_name: str
    email: str | None
    password: str | None = None


class UserNotFound(NotFound):
    def __init__(self, user_id: object) -> None:
        super().__init__(f"user {user_id} not found")


class EmailTaken(Conflict):
    def __init__(self, email: str) -> None:
        super().__init__(f"a user with email {email} already exists", field="email")


class UsersService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        cache: Cache,
        throttle: Throttle | None = None,
        creation_limit: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._cache = cache
        self._throttle = throttle
        self._creation_limit = parse_limit(creation_limit) if throttle and creation_limit else None
        self._all_key = cache.key("users", "all")

    def _user_key(self, user_id: int) -> str:
        return self._cache.key("users", "id", user_id)

    async def list_users(self) -> list[UserRecord]:
        async def load() -> list[dict]:
            async with self._sessions() as session:
                return [_as_json(user) for user in await repository.list_users(session)]

        return [UserRecord(**user) for user in await self._cache.get_or_load(self._all_key, load)]

    async def page_of_users(self, page: PageRequest) -> Page[UserRecord]:
        """A page of users by id, straight from the database (keyset)."""
        async with self._sessions() as session:
            found = await repository.page_of_users(session, page)
        return found.map(UserRecord.model_validate)

    async def get_user(self, raw_id: object) -> UserRecord:
        user_id = parse_int_id(raw_id)
        found = (await self.users_by_ids([user_id]))[0] if user_id is not None else None
        if found is None:
            raise UserNotFound(raw_id)
        return found

    async def users_by_ids(self, ids: Sequence[int]) -> list[UserRecord | None]:
        """Many users in one cache round trip plus, for the misses, one query; in the order asked
        (None where unknown). The DataLoader's batch function."""

        async def load_missing(positions: list[int]) -> list[dict | None]:
            wanted = [ids[p] for p in positions]
            async with self._sessions() as session:
                rows = {u.id: _as_json(u) for u in await repository.users_by_ids(session, wanted)}
            return [rows.get(user_id) for user_id in wanted]

        keys = [self._user_key(user_id) for user_id in ids]
        found = await self._cache.get_many_or_load(keys, load_missing)
        return [UserRecord(**user) if user else None for user in found]

    async def create_user(self, new_user: NewUser | NewAccount, client: str = "") -> UserRecord:
        """Store a new user (password hashed). Per client address the creations are throttled
        (RateLimited before anything is written) unless RATE_LIMITS=off."""
        if self._creation_limit is not None:
            await self._throttle.hit(self._creation_limit, "new users", "create-user", client)
        password = new_user.password
        user = User(
            first_name=new_user.first_name,
            last_name=new_user.last_name,
            email=new_user.email,
            password_hash=await hash_password(password) if password else None,
        )
        try:
            async with transaction(self._sessions) as session:
                user = await repository.add_user(session, user)
        except IntegrityError as error:
            if repository.EMAIL_UNIQUE_INDEX in str(error.orig):
                raise EmailTaken(new_user.email) from error
            raise
        await self._cache.invalidate(self._all_key)
        return UserRecord.model_validate(user)


def _as_json(user: User) -> dict:
    return UserRecord.model_validate(user).model_dump()
