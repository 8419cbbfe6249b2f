import uuid
from datetime import UTC, datetime
from decimal import Decimal

from fedshop_common.outbox import OutboxMessage  # noqa: F401 (this service's outbox table)
from sqlalchemy import DateTime, Numeric
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(UTC)


class Item(SQLModel, table=True):
    __tablename__ = "items"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    price: Decimal = Field(sa_type=Numeric(10, 2))


class Purchase(SQLModel, table=True):
    __tablename__ = "purchases"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: int = Field(index=True)
    item_id: int = Field(foreign_key="items.id")
    # The item's price at purchase time: later price changes do not rewrite history.
    price: Decimal = Field(sa_type=Numeric(10, 2))
    status: str = Field(max_length=20)
    idempotency_key: str | None = Field(default=None, max_length=200, unique=True)
    created_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))
    # Filled in when the email worker reports the email (`email.sent`).
    email_kind: str | None = Field(default=None, max_length=20)
    email_recipient: str | None = Field(default=None, max_length=320)
    email_subject: str | None = Field(default=None, max_length=300)
    email_sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
