"""The users service's REST API, as the purchases service needs it: with a timeout, cached."""

import httpx
from fedshop_common.cache import Cache
from fedshop_common.errors import NotFound, Unavailable
from fedshop_common.events import UserSnapshot


class UserNotFound(Exception):
    def __init__(self, user_id: object) -> None:
        super().__init__(f"user {user_id} not found")


class UsersServiceUnavailable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(f"the users service is unavailable: {reason}")


class UsersClient:
    def __init__(self, base_url: str, timeout_seconds: float, cache: Cache) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout_seconds)
        self._cache = cache

    async def get_user(self, user_id: int, authorization: str | None = None) -> UserSnapshot:
        """The user, from the cache or the users service. Only found users are cached.
        `authorization` is the buyer's own header, passed on: in signed-in mode the users service
        shows the address only to the user and admins (the buy was authorized for exactly them)."""

        async def fetch() -> dict:
            return (await self._fetch(user_id, authorization)).model_dump(mode="json")

        key = self._cache.key("purchases", "user-lookup", user_id)
        return UserSnapshot.model_validate(await self._cache.get_or_load(key, fetch))

    async def buyer(self, user_id: int, authorization: str | None = None) -> UserSnapshot:
        """The user who buys (a purchase, a checkout), its errors in the doors' terms: unknown
        is a 404, the users service away a 503; either way nothing is written."""
        try:
            return await self.get_user(user_id, authorization)
        except UserNotFound as error:
            raise NotFound(str(error)) from error
        except UsersServiceUnavailable as error:
            raise Unavailable(str(error)) from error

    async def _fetch(self, user_id: int, authorization: str | None) -> UserSnapshot:
        headers = {"Authorization": authorization} if authorization else {}
        try:
            response = await self._http.get(f"/users/{user_id}", headers=headers)
        except httpx.HTTPError as error:
            raise UsersServiceUnavailable(type(error).__name__) from error
        if response.status_code == 404:
            raise UserNotFound(user_id)
        if response.status_code != 200:
            raise UsersServiceUnavailable(f"HTTP {response.status_code}")
        return UserSnapshot.model_validate_json(response.content)

    async def close(self) -> None:
        await self._http.aclose()
