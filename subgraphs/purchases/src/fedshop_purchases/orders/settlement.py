"""How an order awaiting payment ends, in the caller's transaction (the order row locked): paid,
or cancelled with its reserved stock given back. Each writes its `order.paid` /
`order.cancelled` event with the change."""

from datetime import UTC, datetime

from fedshop_common.events import OrderCancelReason, OrderSettled, OrderStatus, UserSnapshot
from fedshop_common.outbox import add_event
from sqlalchemy.ext.asyncio import AsyncSession

from fedshop_purchases import stock
from fedshop_purchases.orders.checkout import event_lines
from fedshop_purchases.orders.repository import OrderView


def pay(session: AsyncSession, view: OrderView) -> None:
    view.order.status = OrderStatus.PAID
    view.order.settled_at = datetime.now(UTC)
    add_event(session, _settled(view))


async def cancel(
    session: AsyncSession, view: OrderView, reason: OrderCancelReason, detail: str | None = None
) -> bool:
    """Cancel the order and give back what it reserved; True when counted stock came back."""
    order = view.order
    order.status = OrderStatus.CANCELLED
    order.reason = reason
    order.payment_error = detail
    order.settled_at = datetime.now(UTC)
    returned = False
    for line in sorted(view.lines, key=lambda line: line.item_id):  # the checkout's lock order
        if line.reserved:
            await stock.give_back(session, line.item_id, line.quantity)
            returned = True
    add_event(session, _settled(view))
    return returned


def _settled(view: OrderView) -> OrderSettled:
    order = view.order
    return OrderSettled(
        order_id=order.id,
        status=OrderStatus(order.status),
        user=UserSnapshot.model_validate(order.buyer),
        lines=event_lines(view.lines),
        total=order.total,
        reason=OrderCancelReason(order.reason) if order.reason else None,
        detail=order.payment_error,
    )
