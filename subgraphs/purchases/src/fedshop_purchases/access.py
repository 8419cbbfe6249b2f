"""Who may buy (a purchase, a checkout) and whose purchases and orders one may see, written once
for the REST and GraphQL doors.

Open mode (`REQUIRE_SIGN_IN=false`): anyone may buy for any user and read any purchase or order,
as the first task statement asks. In every mode a request that carries a token is held to it: it
buys only for the token's user, unless the token is an admin's (a bad token is refused
everywhere). Signed-in mode: buying, checkout and reading purchases and orders need a token, and
they must be the caller's own (admins may all).
The flash sale, in every mode: only an admin creates a sale; entering, reading a ticket and
buying with it need a signed-in user (whose tokens they must be: `sale/service.py`).
Buying is also throttled per client address (unless RATE_LIMITS=off): over the limit the
purchase is refused before anything is written.
"""

from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from fedshop_common.auth import Forbidden, JwksKeys, Principal, TokenVerifier, Unauthenticated
from fedshop_common.auth.doors import RequestAuth
from fedshop_common.rate_limits import Throttle, parse_limit

from fedshop_purchases.settings import PurchasesSettings


def may_buy_for(principal: Principal | None, user_id: object, require_sign_in: bool) -> None:
    """Raise unless the caller may buy for `user_id`."""
    if principal is None:
        if require_sign_in:
            raise Unauthenticated("sign in to buy")
        return
    if not (principal.is_admin or principal.is_user(user_id)):
        raise Forbidden(f"user {principal.user_id} may not act for user {user_id}")


def may_read_history_of(
    principal: Principal | None, user_id: object, require_sign_in: bool, what: str = "purchases"
) -> None:
    """Raise unless the caller may see the purchases (or orders: `what`) of `user_id`."""
    if not require_sign_in:
        return
    if principal is None:
        raise Unauthenticated(f"sign in to see {what}")
    if not (principal.is_admin or principal.is_user(user_id)):
        raise Forbidden(f"user {principal.user_id} may not see the {what} of user {user_id}")


def may_create_sale(principal: Principal | None) -> None:
    if principal is None:
        raise Unauthenticated("sign in as an admin to create a sale")
    if not principal.is_admin:
        raise Forbidden("only an admin may create a sale")


def sale_customer(principal: Principal | None) -> Principal:
    """The caller, who must be signed in to take part in a sale."""
    if principal is None:
        raise Unauthenticated("sign in to take part in the sale")
    return principal


class PurchaseAccess:
    def __init__(self, require_sign_in: bool, throttle: Throttle | None, purchase_limit: str):
        self.require_sign_in = require_sign_in
        self._throttle = throttle
        self._purchase_limit = parse_limit(purchase_limit)

    async def authorize_purchase(self, auth: RequestAuth, user_id: object, client: str) -> None:
        may_buy_for(await auth.principal(), user_id, self.require_sign_in)
        if self._throttle is not None:
            await self._throttle.hit(self._purchase_limit, "purchases", "purchase", client)

    async def authorize_reading(
        self, auth: RequestAuth, user_id: object, what: str = "purchases"
    ) -> None:
        # The principal is verified in every mode: a bad token is a 401 even where anyone may read.
        may_read_history_of(await auth.principal(), user_id, self.require_sign_in, what)

    async def authorize_sale_creation(self, auth: RequestAuth) -> None:
        may_create_sale(await auth.principal())

    async def sale_customer(self, auth: RequestAuth) -> Principal:
        return sale_customer(await auth.principal())


def add_access(app: FastAPI, settings: PurchasesSettings) -> Callable[[], Awaitable[None]]:
    """The verifier (keys from the users service's JWKS) and the rules; returns the shutdown
    step."""
    verifier = TokenVerifier(JwksKeys(settings.jwks, settings.users_timeout_seconds))
    throttle = Throttle(settings.redis_url, settings.namespace)
    app.state.token_verifier = verifier
    app.state.access = PurchaseAccess(
        settings.require_sign_in,
        throttle if settings.per_client_limits else None,
        settings.purchase_limit,
    )
    return verifier.close
