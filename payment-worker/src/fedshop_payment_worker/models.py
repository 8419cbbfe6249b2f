import uuid
from datetime import datetime
from decimal import Decimal

from fedshop_common.outbox import OutboxMessage  # noqa: F401 (this service's outbox table)
from sqlalchemy import DateTime, Numeric
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


class PaymentWorkerModel(SQLModel, registry=registry()):
    """The payment worker's tables, in a metadata of their own: several services' models meet in
    one process (tests, tools), and a name like `payments` may exist elsewhere."""


class Payment(PaymentWorkerModel, table=True):
    """One payment per order: the unique `order_id` makes a second one impossible."""

    __tablename__ = "payments"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    order_id: uuid.UUID = Field(unique=True)
    user_id: int
    amount: Decimal = Field(sa_type=Numeric(10, 2))
    method: str = Field(max_length=20)  # PaymentMethod
    status: str = Field(max_length=20)  # PaymentStatus
    reason: str | None = Field(default=None, max_length=200)  # why it failed; None: it succeeded
    tx_hash: str | None = Field(default=None, max_length=200)  # crypto: the transaction
    created_at: datetime = Field(sa_type=DateTime(timezone=True))
