"""REST routes: the task statement's `/users` and `/users/{id}`, and `POST /users`."""

from fastapi import APIRouter, Request

from fedshop_users.service import NewUser, UserRecord, UsersService

router = APIRouter(tags=["users"])


def _service(request: Request) -> UsersService:
    return request.app.state.users


@router.get("/users", response_model=list[UserRecord])
async def list_users(request: Request) -> list[UserRecord]:
    return await _service(request).list_users()


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
async def get_user(user_id: str, request: Request) -> UserRecord:
    return await _service(request).get_user(user_id)


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
        }
    },
)
async def create_user(new_user: NewUser, request: Request) -> UserRecord:
    return await _service(request).create_user(new_user)
