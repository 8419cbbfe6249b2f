import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Identity, Numeric
from sqlalchemy.dialects.postgresql import JSONB
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


class OutboxMessage(SQLModel, table=True):
    """An event written in the same transaction as the change it reports; the relay publishes it."""

    __tablename__ = "outbox"

    # A sequence, so the relay publishes in commit order.
    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    event_id: uuid.UUID = Field(unique=True)
    routing_key: str = Field(max_length=100)
    payload: dict[str, Any] = Field(sa_type=JSONB)
    created_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))
    published_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
