"""The users service's REST API, as the purchases service needs it."""

import httpx
from fedshop_common.events import UserSnapshot


class UserNotFound(Exception):
    def __init__(self, user_id: object) -> None:
        super().__init__(f"user {user_id} not found")


class UsersServiceUnavailable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(f"the users service is unavailable: {reason}")


class UsersClient:
    def __init__(self, base_url: str, timeout_seconds: float) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout_seconds)

    async def get_user(self, user_id: int) -> UserSnapshot:
        try:
            response = await self._http.get(f"/users/{user_id}")
        except httpx.HTTPError as error:
            raise UsersServiceUnavailable(type(error).__name__) from error
        if response.status_code == 404:
            raise UserNotFound(user_id)
        if response.status_code != 200:
            raise UsersServiceUnavailable(f"HTTP {response.status_code}")
        return UserSnapshot.model_validate_json(response.content)

    async def close(self) -> None:
        await self._http.aclose()
