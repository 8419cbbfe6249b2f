from decimal import Decimal

from fedshop_common.settings import ServiceSettings
from pydantic import field_validator


class PaymentWorkerSettings(ServiceSettings):
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fedshop_payments"
    # Serves /health and /metrics only; the work comes from RabbitMQ.
    port: int = 4005
    # Simulated cards that are always declined (comma list).
    payment_declined_cards: str = "4000000000000002"
    # A payment above this total is refused; unset (or empty): no limit.
    payment_max_total: Decimal | None = None
    # How often the outbox relay looks for rows another replica committed.
    outbox_poll_seconds: float = 1.0

    @field_validator("payment_max_total", mode="before")
    @classmethod
    def _empty_is_no_limit(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value
