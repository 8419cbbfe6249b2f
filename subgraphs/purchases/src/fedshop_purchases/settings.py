from fedshop_common.auth.settings import AccessSettings
from fedshop_common.settings import ServiceSettings
from pydantic import Field

from fedshop_purchases.sale.tokens import SaleSettings


class PurchasesSettings(ServiceSettings, AccessSettings, SaleSettings):
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fedshop_purchases"
    port: int = 4002
    # The users service's REST API, where a purchase's user is looked up.
    users_url: str = "http://127.0.0.1:4001"
    users_timeout_seconds: float = 2.0
    # How long a looked-up user is trusted; users are not deleted, so this only bounds staleness.
    user_lookup_ttl_seconds: float = 30.0
    # How often the outbox relay looks for rows another replica committed.
    outbox_poll_seconds: float = 1.0
    # Purchases per client address (the `limits` notation); RATE_LIMITS=off disables it.
    purchase_limit: str = "300/minute"
    # Seconds an order may await its payment; then it is cancelled and its stock returns.
    payment_timeout: float = Field(default=900.0, gt=0)

    @property
    def jwks(self) -> str:
        """Where the users service publishes the keys of access tokens."""
        return self.jwks_url or f"{self.users_url.rstrip('/')}/.well-known/jwks.json"
