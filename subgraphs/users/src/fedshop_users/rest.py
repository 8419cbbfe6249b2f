"""REST routes: the task statement's `/users` and `/users/{id}`."""

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from fedshop_users.service import UserNotFound, UsersService


class UserOut(BaseModel):
    id: int
    first_name: str
    last_name: str
    email: str

    model_config = {"from_attributes": True}


router = APIRouter(tags=["users"])


def _service(request: Request) -> UsersService:
    return request.app.state.users


@router.get("/users", response_model=list[UserOut])
async def list_users(request: Request) -> list[UserOut]:
    return [UserOut.model_validate(user) for user in await _service(request).list_users()]


@router.get(
    "/users/{user_id}", response_model=UserOut, responses={404: {"description": "No such user"}}
)
async def get_user(user_id: str, request: Request) -> UserOut:
    try:
        return UserOut.model_validate(await _service(request).get_user(user_id))
    except UserNotFound as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
