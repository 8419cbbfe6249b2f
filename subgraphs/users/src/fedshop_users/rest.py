"""REST routes: the task statement's `/users` and `/users/{id}`, and `POST /users`."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fedshop_common.auth import Principal
from fedshop_common.auth.doors import client_address
from fedshop_common.pages import MAX_PAGE, PAGE_RESPONSES, PageRequest, link_next

from fedshop_users.auth.policy import can_see_email
from fedshop_users.auth.rest import CurrentPrincipal
from fedshop_users.service import NewUser, UserRecord, UsersService

# A bad or expired token is a 401 wherever one is read.
router = APIRouter(
    tags=["users"], responses={401: {"description": "A bad or expired access token"}}
)


def _service(request: Request) -> UsersService:
    return request.app.state.users


def _as_seen_by(user: UserRecord, principal: Principal | None, request: Request) -> UserRecord:
    if can_see_email(principal, user.id, request.app.state.require_sign_in):
        return user
    return user.model_copy(update={"email": None})


@router.get("/users", response_model=list[UserRecord], responses=PAGE_RESPONSES)
async def list_users(
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE)] = None,
    after: str | None = None,
) -> list[UserRecord]:
    """Every user; with `limit` (and `after`) a page, `Link: <…>; rel="next"` naming the next."""
    if limit is None and after is None:
        users = await _service(request).list_users()
    else:
        page_request = PageRequest(limit or MAX_PAGE, after, "limit", counted=False)
        page = await _service(request).page_of_users(page_request)
        link_next(request, response, page, page_request.first)
        users = page.rows
    return [_as_seen_by(user, principal, request) for user in users]


@router.get(
    "/users/{user_id}",
    response_model=UserRecord,
    responses={
        404: {
            "description": "No such user",
            "content": {"application/json": {"example": {"detail": "user 42 not found"}}},
        }
    },
)
async def get_user(user_id: str, request: Request, principal: CurrentPrincipal) -> UserRecord:
    return _as_seen_by(await _service(request).get_user(user_id), principal, request)


@router.post(
    "/users",
    status_code=201,
    response_model=UserRecord,
    responses={
        409: {
            "description": "The email is taken",
            "content": {
                "application/json": {
                    "example": {"detail": "a user with email ada@example.com already exists"}
                }
            },
        },
        429: {"description": "Too many new users from this address; see Retry-After"},
    },
)
async def create_user(new_user: NewUser, request: Request) -> UserRecord:
    return await _service(request).create_user(new_user, client_address(request))
