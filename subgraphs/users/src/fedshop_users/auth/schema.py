"""GraphQL door of identity: `signIn`, `refresh`, `signOut`, `me` (merged into the schema)."""

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from fedshop_common.auth import Unauthenticated
from fedshop_common.auth.doors import client_address

from fedshop_users.auth.service import Session
from fedshop_users.service import UserNotFound

if TYPE_CHECKING:
    from fedshop_users.schema import User

UserType = Annotated["User", strawberry.lazy("fedshop_users.schema")]


@strawberry.type(description="A signed-in session: a short-lived access token and its refresh.")
class AuthSession:
    access_token: str = strawberry.field(description="JWT; send as `Authorization: Bearer …`")
    token_type: str
    expires_in: int = strawberry.field(description="Seconds the access token is valid")
    refresh_token: str = strawberry.field(description="Opaque; spent by `refresh`")
    role: str
    user_id: strawberry.Private[int]

    @classmethod
    def of(cls, session: Session) -> "AuthSession":
        return cls(
            access_token=session.access_token,
            token_type="bearer",
            expires_in=session.expires_in,
            refresh_token=session.refresh_token,
            role=session.role,
            user_id=session.user_id,
        )

    @strawberry.field
    async def user(self, info: strawberry.Info) -> UserType:
        from fedshop_users.schema import user_as_seen

        return await user_as_seen(info, await info.context.users.get_user(self.user_id))


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="The signed-in user; UNAUTHENTICATED without a token.")
    async def me(self, info: strawberry.Info) -> UserType | None:
        from fedshop_users.schema import user_as_seen

        principal = await info.context.auth.required()
        try:
            return await user_as_seen(info, await info.context.users.get_user(principal.user_id))
        except UserNotFound as error:
            raise Unauthenticated("the token's user no longer exists") from error


def _identity(info: strawberry.Info[Any, Any]):  # noqa: ANN202
    return info.context.request.app.state.identity


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="Sign in with email and password.")
    async def sign_in(self, info: strawberry.Info, email: str, password: str) -> AuthSession:
        client = client_address(info.context.request)
        return AuthSession.of(await _identity(info).sign_in(email, password, client))

    @strawberry.mutation(description="Spend a refresh token for a new session.")
    async def refresh(self, info: strawberry.Info, refresh_token: str) -> AuthSession:
        return AuthSession.of(await _identity(info).refresh(refresh_token))

    @strawberry.mutation(description="Revoke the refresh token's sign-in; true when done.")
    async def sign_out(self, info: strawberry.Info, refresh_token: str) -> bool:
        await _identity(info).sign_out(refresh_token)
        return True
