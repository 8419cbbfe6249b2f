"""The flash sale's tables (and nothing else)."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import DateTime, Index, Numeric, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(UTC)


class Sale(SQLModel, table=True):
    """One item, at a sale price, `units` of it, between two times. The row is the queue's
    counter too: `entered` numbers the entries (taken under the row's lock, so entries commit in
    their order), `decided` is how many of them the worker has decided, in that order."""

    __tablename__ = "sales"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    item_id: int = Field(foreign_key="items.id")
    price: Decimal = Field(sa_type=Numeric(10, 2))
    units: int
    units_left: int  # units not yet given a purchase token
    starts_at: datetime = Field(sa_type=DateTime(timezone=True))
    ends_at: datetime = Field(sa_type=DateTime(timezone=True))
    entered: int = 0
    decided: int = 0
    created_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))


class SaleEntry(SQLModel, table=True):
    """A user's place in a sale's queue: its queue token (whose `jti` is the id), then the
    worker's decision (a purchase token, or sold out), then the order it bought."""

    __tablename__ = "sale_entries"
    __table_args__ = (
        UniqueConstraint("sale_id", "user_id", name="sale_entries_one_per_user"),
        UniqueConstraint("sale_id", "seq", name="sale_entries_seq"),
        Index("sale_entries_purchase_jti", "purchase_jti", unique=True),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    sale_id: uuid.UUID = Field(foreign_key="sales.id")
    user_id: int
    seq: int  # 1, 2, 3, … per sale: the order of the queue
    status: str = Field(max_length=20)  # waiting | ready | sold_out | used
    queue_token: str = Field(sa_type=Text)
    entered_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))
    decided_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    purchase_jti: uuid.UUID | None = None
    purchase_token: str | None = Field(default=None, sa_type=Text)
    purchase_expires_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    order_id: uuid.UUID | None = Field(default=None, foreign_key="orders.id")
