"""The principal a verified access token names, and the errors of access control (their
HTTP status and GraphQL code come from the one table in `fedshop_common.errors`)."""

from dataclasses import dataclass

from fedshop_common import errors

CUSTOMER = "customer"
ADMIN = "admin"
ROLES = (CUSTOMER, ADMIN)


@dataclass(frozen=True)
class Principal:
    user_id: int
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def is_user(self, user_id: object) -> bool:
        return str(self.user_id) == str(user_id)


class Unauthenticated(errors.Unauthenticated):
    """No token where one is needed, or a bad / expired one: HTTP 401, `UNAUTHENTICATED`."""

    def __init__(self, reason: str = "sign-in required") -> None:
        super().__init__(reason)


class Forbidden(errors.Forbidden):
    """A valid token that may not do this (wrong role, someone else's data): 403, `FORBIDDEN`."""

    def __init__(self, reason: str = "not allowed") -> None:
        super().__init__(reason)


class AuthUnavailable(errors.Unavailable):
    """The keys to verify a token could not be fetched: 503, `SERVICE_UNAVAILABLE`."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"token keys unavailable: {reason}")
