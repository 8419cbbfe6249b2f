from fedshop_common.auth.settings import AccessSettings
from fedshop_common.crypto import CryptoSettings
from fedshop_common.settings import ServiceSettings
from pydantic import Field

from fedshop_purchases.sale.tokens import SaleSettings

# The key `fakes/quotes` accepts by default: used only in dev when QUOTES_API_KEY is unset.
DEV_QUOTES_API_KEY = "fedshop-fake-key"


class PurchasesSettings(ServiceSettings, AccessSettings, CryptoSettings, SaleSettings):
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
    # A CoinMarketCap-compatible quote API (the fake of `make dev` on 4006, or
    # https://pro-api.coinmarketcap.com with a real key), and the calls per day its plan allows.
    quotes_url: str = "http://127.0.0.1:4006"
    quotes_api_key: str = ""
    quotes_daily_limit: int = Field(default=300, ge=1)
    # `makeTestTransaction` (the simulated ledger's demo transactions); unset: on in dev only.
    demo_transactions: bool | None = None

    @property
    def quotes_key(self) -> str:
        """The quote API's key: required outside dev (no silent default)."""
        if self.quotes_api_key:
            return self.quotes_api_key
        if not self.is_dev:
            raise ValueError("QUOTES_API_KEY must be set outside dev")
        return DEV_QUOTES_API_KEY

    @property
    def demo_transactions_on(self) -> bool:
        return self.is_dev if self.demo_transactions is None else self.demo_transactions

    @property
    def jwks(self) -> str:
        """Where the users service publishes the keys of access tokens."""
        return self.jwks_url or f"{self.users_url.rstrip('/')}/.well-known/jwks.json"
