"""Events that cross RabbitMQ. Their bodies are a contract: add fields, never change meaning."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, PlainSerializer

# Prices travel as JSON numbers, as REST and GraphQL show them; they are read back as Decimal.
Price = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


class PurchaseStatus(StrEnum):
    SUCCEEDED = "succeeded"
    REJECTED = "rejected"


class PurchaseReason(StrEnum):
    """Why a purchase was rejected."""

    PRICE_LIMIT = "price_limit"  # the price is 50 or more (the first task statement's rule)
    OUT_OF_STOCK = "out_of_stock"  # no sellable unit left


class EmailKind(StrEnum):
    CONFIRMATION = "confirmation"
    REJECTION = "rejection"
    ORDER_CONFIRMATION = "order_confirmation"  # an order was paid
    ORDER_CANCELLATION = "order_cancellation"  # an order was cancelled


class EmailDelivery(StrEnum):
    SENT = "sent"
    NO_ADDRESS = "no_address"  # recorded, nothing sent: the user has no email address


def _now() -> datetime:
    return datetime.now(UTC)


class Event(BaseModel):
    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    occurred_at: datetime = Field(default_factory=_now)

    @property
    def routing_key(self) -> str:
        raise NotImplementedError


class UserSnapshot(BaseModel):
    id: int
    # None for a user created without an address (the parrot shop's POST /api/user): the
    # purchase is processed, no email is sent.
    email: str | None = None
    first_name: str
    last_name: str


class ItemSnapshot(BaseModel):
    id: int
    name: str
    price: Price


class PurchaseCompleted(Event):
    """`purchase.succeeded` or `purchase.rejected`: carries all the email worker needs."""

    purchase_id: uuid.UUID
    status: PurchaseStatus
    user: UserSnapshot
    item: ItemSnapshot
    # Added in round 2: units bought, and why a rejected purchase was rejected (None: succeeded).
    quantity: int = 1
    reason: PurchaseReason | None = None

    @property
    def routing_key(self) -> str:
        return f"purchase.{self.status}"


class EmailReport(Event):
    """What the email worker reports once it has sent (and recorded) an email."""

    kind: EmailKind
    recipient: str  # "" when the user has no address
    subject: str
    sent_at: datetime
    # "no_address": recorded, nothing sent (the user has no email address).
    delivery: EmailDelivery = EmailDelivery.SENT


class EmailSent(EmailReport):
    """`email.sent`: the email for a purchase."""

    purchase_id: uuid.UUID

    @property
    def routing_key(self) -> str:
        return "email.sent"


class ItemChange(StrEnum):
    CREATED = "created"
    UPDATED = "updated"


class CatalogItem(BaseModel):
    """An item as the inventory knows it after a change. `quantity` is the inventory's on-hand
    count (None: untracked, unlimited); `version` only grows, so a copy keeps the newest."""

    id: int
    name: str
    description: str = ""
    price: Price
    quantity: int | None = None
    active: bool = True
    version: int


class ItemChanged(Event):
    """`item.created` or `item.updated`: the whole item after the change."""

    change: ItemChange
    item: CatalogItem

    @property
    def routing_key(self) -> str:
        return f"item.{self.change}"


class StockAdjusted(Event):
    """`stock.adjusted`: units added (or, negative, removed) by the warehouse. Setting a quantity
    is sent as the delta from the quantity the inventory knew."""

    item_id: int
    delta: int
    reason: str = ""

    @property
    def routing_key(self) -> str:
        return "stock.adjusted"


# Round 2: checkout, orders and payment (`../shared/DESIGN.md`, "Checkout, orders and payment").


class OrderStatus(StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    CANCELLED = "cancelled"


class OrderCancelReason(StrEnum):
    PAYMENT_FAILED = "payment_failed"  # the payment worker refused it (its reason in `detail`)
    PAYMENT_TIMEOUT = "payment_timeout"  # not paid within PAYMENT_TIMEOUT


class PaymentMethod(StrEnum):
    CARD = "card"  # simulated: a card number the worker's settings may make fail
    CRYPTO = "crypto"  # a simulated transaction, validated by the worker (the crypto issue)


class PaymentStatus(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class CryptoQuote(BaseModel):
    """The quote a crypto order was priced at when it was placed: what the buyer must pay."""

    usd_rate: Decimal  # USD for one token
    quoted_at: datetime
    amount_due: Decimal  # the total in the token, rounded up to 8 decimals


class PaymentDetails(BaseModel):
    """How the buyer pays, as given at checkout (no secret: the card is a simulated one); for
    crypto, also the quote the shop priced the order at."""

    method: PaymentMethod = PaymentMethod.CARD
    card: str | None = None
    symbol: str | None = None
    tx_hash: str | None = None
    quote: CryptoQuote | None = None

    def as_asked(self) -> "PaymentDetails":
        """What the buyer sent, without what the shop added (the quote moves between repeats)."""
        return self.model_copy(update={"quote": None})


class OrderLine(BaseModel):
    item_id: int
    name: str
    quantity: int
    unit_price: Price


class OrderPlaced(Event):
    """`order.placed`: stock is reserved, the order awaits its payment."""

    order_id: uuid.UUID
    user: UserSnapshot
    lines: list[OrderLine]
    total: Price
    payment: PaymentDetails = Field(default_factory=PaymentDetails)

    @property
    def routing_key(self) -> str:
        return "order.placed"


class PaymentCompleted(Event):
    """`payment.succeeded` or `payment.failed`: the payment worker's outcome for one order
    (published once per order, whatever the redeliveries of `order.placed`)."""

    payment_id: uuid.UUID
    order_id: uuid.UUID
    status: PaymentStatus
    amount: Price
    reason: str | None = None  # why it failed, for the buyer: "card declined", …

    @property
    def routing_key(self) -> str:
        return f"payment.{self.status}"


class OrderSettled(Event):
    """`order.paid` or `order.cancelled`: carries all the email worker needs; `order.paid` is
    when the inventory's on-hand changes, `order.cancelled` when the reserved stock came back."""

    order_id: uuid.UUID
    status: OrderStatus
    user: UserSnapshot
    lines: list[OrderLine]
    total: Price
    reason: OrderCancelReason | None = None
    detail: str | None = None  # the payment worker's reason, when it refused the payment

    @property
    def routing_key(self) -> str:
        return f"order.{self.status}"


class OrderEmailSent(EmailReport):
    """`email.order_sent`: the email for an order."""

    order_id: uuid.UUID

    @property
    def routing_key(self) -> str:
        return "email.order_sent"
