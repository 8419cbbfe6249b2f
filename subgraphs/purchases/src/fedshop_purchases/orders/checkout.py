"""The checkout's transaction: every line's stock reserved at once, or none.

Prices, names and stock are read from the database in the transaction (never the cache). The
counters are taken in item id order, so two checkouts sharing items never deadlock; a short line
rolls everything back, naming every short item."""

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal

from fedshop_common.errors import Conflict, NotFound
from fedshop_common.events import (
    CryptoQuote,
    OrderPlaced,
    OrderStatus,
    PaymentDetails,
    UserSnapshot,
)
from fedshop_common.events import OrderLine as EventLine
from sqlalchemy.ext.asyncio import AsyncSession

from fedshop_purchases import stock
from fedshop_purchases.crypto.quotes import Quote
from fedshop_purchases.orders import repository
from fedshop_purchases.orders.models import Order, OrderLine
from fedshop_purchases.orders.repository import OrderView
from fedshop_purchases.orders.requests import CheckoutRequest
from fedshop_purchases.service import NotForSale


class ShortOfStock(Conflict):
    def __init__(self, item_ids: list[int]) -> None:
        named = ", ".join(str(item_id) for item_id in item_ids)
        super().__init__(
            f"not enough stock of item{'s' if len(item_ids) > 1 else ''} {named}",
            field="items",
            short_items=item_ids,
        )


async def place_order(
    session: AsyncSession,
    request: CheckoutRequest,
    buyer: UserSnapshot,
    key: str | None,
    quote: Quote | None = None,
    prices: Mapping[int, Decimal] | None = None,
) -> tuple[OrderView, bool]:
    """Reserve and store the order with its `order.placed` event, in the caller's transaction;
    also whether any counted stock moved. Raises (and the caller rolls back) when an item is
    unknown, not for sale or short. A crypto order is priced in its token at `quote`; `prices`
    replace the items' own (a flash sale's price)."""
    items = await stock.items_for_sale(session, request.item_ids)
    price = {item_id: item.price for item_id, item in items.items()} | dict(prices or {})
    for item_id in request.item_ids:
        if item_id not in items:
            raise NotFound(f"item {item_id} not found", field="itemId")
        if not items[item_id].active:
            raise NotForSale(item_id)
    reserved: dict[int, bool] = {}
    short: list[int] = []
    for line in sorted(request.lines, key=lambda line: line.item_id):
        if items[line.item_id].stock is None:
            reserved[line.item_id] = False  # untracked: unlimited
        elif await stock.take(session, line.item_id, line.quantity):
            reserved[line.item_id] = True
        elif (now := await stock.item_for_sale(session, line.item_id)) and now.stock is None:
            reserved[line.item_id] = False  # the warehouse stopped counting it meanwhile
        else:
            short.append(line.item_id)
    if short:
        raise ShortOfStock(short)
    total = sum((price[line.item_id] * line.quantity for line in request.lines), start=Decimal(0))
    payment = priced(request.payment, total, quote)
    order = Order(
        user_id=request.user_id,
        status=OrderStatus.AWAITING_PAYMENT,
        total=total,
        payment=payment.model_dump(mode="json"),
        buyer=buyer.model_dump(mode="json"),
        idempotency_key=key,
        placed_at=datetime.now(UTC),
    )
    lines = [
        OrderLine(
            order_id=order.id,
            item_id=line.item_id,
            position=position,
            name=items[line.item_id].name,
            quantity=line.quantity,
            unit_price=price[line.item_id],
            reserved=reserved[line.item_id],
        )
        for position, line in enumerate(request.lines)
    ]
    event = OrderPlaced(
        order_id=order.id,
        user=buyer,
        lines=event_lines(lines),
        total=order.total,
        payment=payment,
    )
    repository.add_order(session, order, lines, event)
    return OrderView(order, lines), any(reserved.values())


def priced(payment: PaymentDetails, total: Decimal, quote: Quote | None) -> PaymentDetails:
    """The payment as the order keeps it: for crypto, with the amount due at the quote."""
    if quote is None:
        return payment
    due = CryptoQuote(
        usd_rate=quote.usd_rate, quoted_at=quote.quoted_at, amount_due=quote.convert(total)
    )
    return payment.model_copy(update={"quote": due})


def event_lines(lines: list[OrderLine]) -> list[EventLine]:
    return [
        EventLine(
            item_id=line.item_id, name=line.name, quantity=line.quantity, unit_price=line.unit_price
        )
        for line in lines
    ]
