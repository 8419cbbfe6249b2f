import uuid
from datetime import UTC, datetime
from decimal import Decimal

from fedshop_common.outbox import OutboxMessage  # noqa: F401 (this service's outbox table)
from sqlalchemy import DateTime, Numeric, Text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(UTC)


class InventoryModel(SQLModel, registry=registry()):
    """The inventory's tables, in a metadata of their own: the shop's copy also has `items`, and
    both services' models meet in one process (tests, tools)."""


class Item(InventoryModel, table=True):
    """The warehouse's item. On hand = `adjusted - sold` while `tracked`; untracked: unlimited."""

    __tablename__ = "items"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    description: str = Field(default="", sa_type=Text)
    price: Decimal = Field(sa_type=Numeric(10, 2))
    tracked: bool = False
    adjusted: int = 0  # the sum of every stock adjustment
    sold: int = 0  # the units the shop reported sold (purchase.succeeded, order.paid)
    active: bool = True
    version: int = 1  # grows with every change the inventory publishes
    updated_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))

    @property
    def quantity(self) -> int | None:
        return self.adjusted - self.sold if self.tracked else None


class AppliedSale(InventoryModel, table=True):
    """The sale events (`purchase.succeeded`, `order.paid`) already counted: each once."""

    __tablename__ = "applied_sales"

    event_id: uuid.UUID = Field(primary_key=True)
    applied_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))
