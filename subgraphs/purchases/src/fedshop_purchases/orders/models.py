"""The orders tables (and nothing else)."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(UTC)


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    # A key is its user's own (idempotency.py).
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key", name="orders_user_idempotency_key"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: int = Field(index=True)
    status: str = Field(max_length=20)  # awaiting_payment | paid | cancelled
    total: Decimal = Field(sa_type=Numeric(18, 2))
    reason: str | None = Field(default=None, max_length=20)  # why it was cancelled
    payment_error: str | None = Field(default=None, sa_type=Text)  # the payment worker's words
    # How the buyer pays (PaymentDetails: the method, a simulated card; no secret).
    payment: dict[str, Any] = Field(sa_type=JSONB)
    # The buyer as the users service showed it at checkout (UserSnapshot): the settlement
    # events carry it, and no later look-up could show the address without the buyer's token.
    buyer: dict[str, Any] = Field(sa_type=JSONB)
    idempotency_key: str | None = Field(default=None, max_length=200)
    placed_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))
    settled_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    # Filled in when the email worker reports the order's email (`email.order_sent`).
    email_kind: str | None = Field(default=None, max_length=20)
    email_recipient: str | None = Field(default=None, max_length=320)
    email_subject: str | None = Field(default=None, max_length=300)
    email_sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_lines"

    order_id: uuid.UUID = Field(foreign_key="orders.id", primary_key=True)
    item_id: int = Field(foreign_key="items.id", primary_key=True)
    position: int  # the line's place in the checkout, as the buyer listed them
    name: str = Field(max_length=200)
    quantity: int
    unit_price: Decimal = Field(sa_type=Numeric(10, 2))
    # Whether stock was taken from the counter (False: the item was untracked, unlimited), so a
    # cancellation gives back exactly what was taken.
    reserved: bool
