from decimal import Decimal

from fedshop_common.crypto import CryptoSettings
from fedshop_common.settings import ServiceSettings
from pydantic import Field, field_validator


class PaymentWorkerSettings(ServiceSettings, CryptoSettings):
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fedshop_payments"
    # Serves /health and /metrics only; the work comes from RabbitMQ.
    port: int = 4005
    # Simulated cards that are always declined (comma list).
    payment_declined_cards: str = "4000000000000002"
    # A payment above this total is refused; unset (or empty): no limit.
    payment_max_total: Decimal | None = None
    # A crypto transaction may pay this fraction less than the amount due (rounding, fees).
    crypto_tolerance: Decimal = Field(default=Decimal("0.005"), ge=0, lt=1)
    # A crypto order priced at a quote older than this (when it was placed) is refused.
    quote_max_age_seconds: float = Field(default=900.0, gt=0)
    ledger_timeout_seconds: float = 5.0
    # How often the outbox relay looks for rows another replica committed.
    outbox_poll_seconds: float = 1.0

    @field_validator("payment_max_total", mode="before")
    @classmethod
    def _empty_is_no_limit(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value
