"""The users subgraph: `User @key(id)`, `users`, `user(id)`."""

from typing import Any

import strawberry
from fedshop_common.ids import parse_int_id
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from fedshop_users.models import User as UserRow
from fedshop_users.service import UsersService


class Context(BaseContext):
    def __init__(self, users: UsersService) -> None:
        super().__init__()
        self.users = users
        # Per request, so entity references from the router resolve in one query.
        self.user_loader: DataLoader[int, UserRow | None] = DataLoader(users.users_by_ids)


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    first_name: str
    last_name: str
    email: str

    @classmethod
    def from_row(cls, row: UserRow) -> "User":
        return cls(
            id=strawberry.ID(str(row.id)),
            first_name=row.first_name,
            last_name=row.last_name,
            email=row.email,
        )

    @classmethod
    async def resolve_reference(
        cls, info: strawberry.Info[Context, Any], id: strawberry.ID
    ) -> "User | None":
        return await _load_user(info, id)


async def _load_user(info: strawberry.Info[Context, Any], raw_id: object) -> User | None:
    user_id = parse_int_id(raw_id)
    row = await info.context.user_loader.load(user_id) if user_id is not None else None
    return User.from_row(row) if row else None


@strawberry.type
class Query:
    @strawberry.field
    async def users(self, info: strawberry.Info[Context, Any]) -> list[User]:
        return [User.from_row(row) for row in await info.context.users.list_users()]

    @strawberry.field
    async def user(self, info: strawberry.Info[Context, Any], id: strawberry.ID) -> User | None:
        return await _load_user(info, id)


schema = strawberry.federation.Schema(query=Query)
