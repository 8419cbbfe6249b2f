"""What a checkout asks for, checked once for both doors: a known-looking user, at least one
line, each quantity 1..MAX_QUANTITY, no item twice, and how it is paid. Bad input changes
nothing: it is refused before any look-up."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fedshop_common.errors import InvalidInput, NotFound
from fedshop_common.events import PaymentDetails, PaymentMethod
from fedshop_common.ids import parse_int_id
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

MAX_QUANTITY = 100
# Printable text only (PostgreSQL's JSON refuses NUL); the payment worker judges the rest.
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"


class PaymentRequest(BaseModel):
    """How the buyer pays. A card is simulated (no secret); crypto names its transaction."""

    model_config = ConfigDict(extra="forbid")

    method: PaymentMethod = PaymentMethod.CARD
    card: Annotated[str, Field(max_length=64, pattern=_PRINTABLE)] | None = Field(
        default=None, examples=["4242424242424242"]
    )
    symbol: Annotated[str, Field(max_length=16, pattern=_PRINTABLE)] | None = None
    tx_hash: Annotated[str, Field(max_length=200, pattern=_PRINTABLE)] | None = None

    @model_validator(mode="after")
    def _crypto_names_its_transaction(self) -> "PaymentRequest":
        if self.method == PaymentMethod.CRYPTO:
            if not self.symbol:
                raise ValueError("a crypto payment needs the token's symbol")
            if not self.tx_hash:
                raise ValueError("a crypto payment needs the transaction's hash (tx_hash)")
            self.symbol = self.symbol.upper()
        return self

    def details(self) -> PaymentDetails:
        return PaymentDetails(**self.model_dump())


@dataclass(frozen=True)
class WantedLine:
    item_id: int
    quantity: int


@dataclass(frozen=True)
class CheckoutRequest:
    user_id: int
    lines: tuple[WantedLine, ...]
    payment: PaymentDetails

    @property
    def item_ids(self) -> list[int]:
        return [line.item_id for line in self.lines]


def checkout_request(
    raw_user_id: object,
    raw_lines: Sequence[tuple[object, object]],
    payment: PaymentRequest | dict | None = None,
) -> CheckoutRequest:
    """The checkout as the use case takes it, from what a door received: (item id, quantity)
    pairs as sent. Malformed: a 422 naming the field; an id that cannot name anything: a 404."""
    if not raw_lines:
        raise InvalidInput("an order needs at least one line", field="items")
    for raw_item_id, quantity in raw_lines:
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise InvalidInput(f"the quantity of item {raw_item_id} is not a number", "quantity")
        if not 1 <= quantity <= MAX_QUANTITY:
            raise InvalidInput(
                f"the quantity of item {raw_item_id} must be between 1 and {MAX_QUANTITY}",
                field="quantity",
            )
    item_ids = [parse_int_id(raw_item_id) for raw_item_id, _ in raw_lines]
    if twice := sorted(i for i, n in Counter(item_ids).items() if i is not None and n > 1):
        raise InvalidInput(f"item {twice[0]} is listed more than once", field="items")
    user_id = parse_int_id(raw_user_id)
    if user_id is None:
        raise NotFound(f"user {raw_user_id} not found")
    lines = []
    for (raw_item_id, quantity), item_id in zip(raw_lines, item_ids, strict=True):
        if item_id is None:
            raise NotFound(f"item {raw_item_id} not found", field="itemId")
        lines.append(WantedLine(item_id, quantity))
    return CheckoutRequest(user_id, tuple(lines), _payment(payment))


def _payment(payment: PaymentRequest | dict | None) -> PaymentDetails:
    if payment is None:
        return PaymentDetails()
    if isinstance(payment, PaymentRequest):
        return payment.details()
    try:
        return PaymentRequest.model_validate(payment).details()
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "payment"
        message = first["msg"].removeprefix("Value error, ")
        raise InvalidInput(f"payment: {message}", field=where) from error
