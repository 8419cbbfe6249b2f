"""Who may change the warehouse, written once for the REST and GraphQL doors.

Reading the catalog is open (the warehouse's `GET /api/items`, as its API is documented). Every
write — a new item, a change, a toggle, a stock adjustment — is an admin's, in every mode: no
token is a 401, a customer's token a 403.
"""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from fedshop_common.auth import Forbidden, JwksKeys, Principal, TokenVerifier, Unauthenticated
from fedshop_common.auth.doors import RequestAuth

from fedshop_inventory.settings import InventorySettings


def may_change_catalog(principal: Principal | None) -> None:
    """Raise unless the caller may write the catalog."""
    if principal is None:
        raise Unauthenticated("sign in as an admin to change the catalog")
    if not principal.is_admin:
        raise Forbidden(
            f"user {principal.user_id} is not an admin: the catalog is theirs to change"
        )


async def authorize_catalog_write(auth: RequestAuth) -> Principal:
    principal = await auth.principal()
    may_change_catalog(principal)
    assert principal is not None
    return principal


def add_access(app: FastAPI, settings: InventorySettings) -> Callable[[], Awaitable[None]]:
    """The verifier (keys from the users service's JWKS); returns the shutdown step."""
    verifier = TokenVerifier(JwksKeys(settings.jwks, settings.users_timeout_seconds))
    app.state.token_verifier = verifier
    return verifier.close
