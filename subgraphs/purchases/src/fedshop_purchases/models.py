import uuid
from datetime import UTC, datetime
from decimal import Decimal

from fedshop_common.outbox import OutboxMessage  # noqa: F401 (this service's outbox table)
from sqlalchemy import DateTime, Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(UTC)


class Item(SQLModel, table=True):
    """The shop's copy of a warehouse item, fed by item events (`catalog/`). `stock` is the
    sellable count, which this service alone decrements (NULL: untracked, unlimited)."""

    __tablename__ = "items"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", sa_type=Text)
    price: Decimal = Field(sa_type=Numeric(10, 2))
    active: bool = True
    stock: int | None = None
    version: int = 1


class AppliedEvent(SQLModel, table=True):
    """Item and stock events already applied: a redelivered delta counts once."""

    __tablename__ = "applied_events"

    event_id: uuid.UUID = Field(primary_key=True)
    applied_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))


class Purchase(SQLModel, table=True):
    __tablename__ = "purchases"
    # A key is its user's own (idempotency.py).
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key", name="purchases_user_idempotency_key"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: int = Field(index=True)
    item_id: int = Field(foreign_key="items.id")
    # The item's price at purchase time: later price changes do not rewrite history.
    price: Decimal = Field(sa_type=Numeric(10, 2))
    status: str = Field(max_length=20)
    # Why it was rejected (`price_limit` | `out_of_stock`); None when it succeeded.
    reason: str | None = Field(default=None, max_length=20)
    quantity: int = 1
    idempotency_key: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))
    # Filled in when the email worker reports the email (`email.sent`).
    email_kind: str | None = Field(default=None, max_length=20)
    email_recipient: str | None = Field(default=None, max_length=320)
    email_subject: str | None = Field(default=None, max_length=300)
    email_sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


# The orders and sale capabilities keep their tables beside their rules; imported here so that
# this module names every table of the service.
from fedshop_purchases.orders.models import Order, OrderLine  # noqa: E402, F401
from fedshop_purchases.sale.models import Sale, SaleEntry  # noqa: E402, F401
