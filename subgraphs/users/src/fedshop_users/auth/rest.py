"""REST door of identity: `/auth/token|refresh|logout`, `/users/me`, the JWKS, and the parrot
shop's `POST /api/user`.

The refresh token travels in an `HttpOnly`, `SameSite=Strict` cookie scoped to `/auth` (the
SPA never sees it); clients without cookies may send it in the body instead.
"""

from typing import Annotated

from fastapi import APIRouter, Body, Cookie, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from fedshop_common.auth import Principal, Unauthenticated
from fedshop_common.auth.doors import client_address, principal_dependency
from pydantic import BaseModel, Field

from fedshop_users.auth.service import IdentityService, Session
from fedshop_users.service import NewShopUser, UserNotFound, UserRecord, UsersService

REFRESH_COOKIE = "fedshop_refresh"
COOKIE_PATH = "/auth"
TOKEN_URL = "/auth/token"

router = APIRouter()
current_principal = principal_dependency(token_url=TOKEN_URL)
CurrentPrincipal = Annotated[Principal | None, Depends(current_principal)]
UNAUTHORIZED = {401: {"description": "No, a bad or an expired access token"}}


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds the access token is valid")
    refresh_token: str = Field(description="Also set as the HttpOnly cookie fedshop_refresh")
    user_id: int
    role: str

    @classmethod
    def of(cls, session: Session) -> "TokenResponse":
        return cls(
            access_token=session.access_token,
            expires_in=session.expires_in,
            refresh_token=session.refresh_token,
            user_id=session.user_id,
            role=session.role,
        )


class RefreshRequest(BaseModel):
    refresh_token: str | None = None


def _identity(request: Request) -> IdentityService:
    return request.app.state.identity


def _issued(session: Session, request: Request, response: Response) -> TokenResponse:
    response.set_cookie(
        REFRESH_COOKIE,
        session.refresh_token,
        max_age=int(request.app.state.refresh_cookie_max_age),
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.app.state.refresh_cookie_secure,
    )
    response.headers["Cache-Control"] = "no-store"
    return TokenResponse.of(session)


@router.post(
    TOKEN_URL,
    response_model=TokenResponse,
    tags=["auth"],
    responses={**UNAUTHORIZED, 429: {"description": "Too many failed sign-ins; see Retry-After"}},
)
async def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, response: Response
) -> TokenResponse:
    """OAuth2 password grant: `username` is the email."""
    session = await _identity(request).sign_in(
        form.username, form.password, client_address(request)
    )
    return _issued(session, request, response)


@router.post("/auth/refresh", response_model=TokenResponse, tags=["auth"], responses=UNAUTHORIZED)
async def refresh(
    request: Request,
    response: Response,
    body: Annotated[RefreshRequest | None, Body()] = None,
    fedshop_refresh: Annotated[str | None, Cookie()] = None,
) -> TokenResponse:
    """A new access token and a new refresh token (the old one is spent)."""
    token = (body.refresh_token if body else None) or fedshop_refresh
    session = await _identity(request).refresh(token)
    return _issued(session, request, response)


@router.post("/auth/logout", status_code=204, tags=["auth"])
async def sign_out(
    request: Request,
    body: Annotated[RefreshRequest | None, Body()] = None,
    fedshop_refresh: Annotated[str | None, Cookie()] = None,
) -> Response:
    """Revoke the refresh token's sign-in (every token rotated from it) and clear the cookie."""
    await _identity(request).sign_out((body.refresh_token if body else None) or fedshop_refresh)
    response = Response(status_code=204)
    response.delete_cookie(REFRESH_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
    return response


@router.get("/users/me", response_model=UserRecord, tags=["users"], responses=UNAUTHORIZED)
async def me(request: Request, principal: CurrentPrincipal) -> UserRecord:
    if principal is None:
        raise Unauthenticated()
    users: UsersService = request.app.state.users
    try:
        return await users.get_user(principal.user_id)
    except UserNotFound as error:
        raise Unauthenticated("the token's user no longer exists") from error


@router.get("/.well-known/jwks.json", tags=["auth"])
async def jwks(request: Request, response: Response) -> dict:
    """The public keys access tokens are signed with (`kid` names the key)."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return request.app.state.jwks


class ShopUserRequest(BaseModel):
    user: NewShopUser


class ShopUserCreated(BaseModel):
    id: int
    name: str
    email: str | None


@router.post(
    "/api/user",
    status_code=201,
    response_model=ShopUserCreated,
    tags=["shop"],
    responses={409: {"description": "The email is taken"}, 429: {"description": "Too many"}},
)
async def create_shop_user(body: ShopUserRequest, request: Request) -> ShopUserCreated:
    """The parrot shop's way to create a user: a name, optionally an email and a password."""
    users: UsersService = request.app.state.users
    user = await users.create_user(body.user.as_new_user(), client_address(request))
    return ShopUserCreated(id=user.id, name=body.user.name, email=user.email)
