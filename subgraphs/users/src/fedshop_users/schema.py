"""The users subgraph: `User @key(id)`, `users`, `user(id)`, `createUser(input)`."""

from collections.abc import Callable
from typing import Any

import strawberry
from fedshop_common.auth.doors import AuthContext, client_address
from fedshop_common.errors import InvalidInput, graphql_errors
from fedshop_common.ids import parse_int_id
from fedshop_common.pages import DEFAULT_PAGE, Connection, PageRequest
from pydantic import ValidationError
from strawberry.dataloader import DataLoader
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.utils.str_converters import to_camel_case

from fedshop_users.auth.policy import can_see_email
from fedshop_users.auth.schema import IdentityMutation, IdentityQuery
from fedshop_users.service import NewUser, UserRecord, UsersService


class Context(AuthContext):
    def __init__(self, users: UsersService) -> None:
        super().__init__()
        self.users = users
        # Per request, so all entity references of one router call resolve in one batch.
        self.user_loader: DataLoader[int, UserRecord | None] = DataLoader(users.users_by_ids)


Info = strawberry.Info[Context, Any]


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    first_name: str
    last_name: str
    # A plain field, decided when the user is made (`User.of`): no resolver runs per user.
    email: str | None = strawberry.field(
        description="Null when the user has none, or (signed-in mode) for anyone but the user "
        "and admins."
    )

    @classmethod
    def of(cls, user: UserRecord, shows_email: "EmailVisibility") -> "User":
        return cls(
            id=strawberry.ID(str(user.id)),
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email if shows_email(user.id) else None,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "User | None":
        return await _load_user(info, id)


EmailVisibility = Callable[[int], bool]


async def email_visibility(info: Info) -> EmailVisibility:
    """Whose address the caller may see. The token is verified here, once per request, whether
    or not an address is asked for: a bad token is never anonymous."""
    principal = await info.context.auth.principal()
    require_sign_in = info.context.request.app.state.require_sign_in
    return lambda user_id: can_see_email(principal, user_id, require_sign_in)


async def user_as_seen(info: Info, user: UserRecord) -> User:
    return User.of(user, await email_visibility(info))


async def _load_user(info: Info, raw_id: object) -> User | None:
    user_id = parse_int_id(raw_id)
    user = await info.context.user_loader.load(user_id) if user_id is not None else None
    return await user_as_seen(info, user) if user else None


@strawberry.input
class CreateUserInput:
    first_name: str
    last_name: str
    email: str
    password: str | None = strawberry.field(
        default=None, description="At least 8 characters; without one the user cannot sign in."
    )


@strawberry.type
class Query(IdentityQuery):
    @strawberry.field(description="The users by id, a page at a time (`first` at most 100).")
    async def users(
        self, info: Info, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[User]:
        page = await info.context.users.page_of_users(PageRequest.asked_in(info, first, after))
        shows_email = await email_visibility(info)
        return Connection.of(page, lambda user: User.of(user, shows_email))

    @strawberry.field
    async def user(self, info: Info, id: strawberry.ID) -> User | None:
        return await _load_user(info, id)


@strawberry.type
class Mutation(IdentityMutation):
    @strawberry.mutation(description="Create a user; the email must be unused (in any case).")
    async def create_user(self, info: Info, input: CreateUserInput) -> User:
        try:
            new_user = NewUser(
                first_name=input.first_name,
                last_name=input.last_name,
                email=input.email,
                password=input.password,
            )
        except ValidationError as error:
            first = error.errors()[0]
            field = to_camel_case(str(first["loc"][0]))
            raise InvalidInput(f"{field}: {first['msg']}", field=field) from error
        client = client_address(info.context.request)
        return await user_as_seen(info, await info.context.users.create_user(new_user, client))


# The router sends the same few documents over and over: parse and validate each once (a third
# of a small query's CPU otherwise; see docs/performance.md).
schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    extensions=[
        graphql_errors(),
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
    ],
)
