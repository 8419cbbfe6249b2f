"""The orders part of the purchases subgraph: `Order`, `OrderLine`, `Query.order`,
`Mutation.checkout`, `Subscription.orderUpdated` and the resolver of `User.orders`."""

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from fedshop_common import events
from fedshop_common.auth.doors import client_address
from fedshop_common.errors import NotFound
from fedshop_common.ids import parse_int_id
from fedshop_common.pages import Connection, Page, PageRequest

from fedshop_purchases.crypto.prices import TokenPrice
from fedshop_purchases.crypto.types import CryptoPrice
from fedshop_purchases.orders.repository import OrderView
from fedshop_purchases.orders.requests import checkout_request
from fedshop_purchases.schema_parts import (
    RECHECK_SECONDS,
    EmailNotification,
    Info,
    Item,
    access,
)
from fedshop_purchases.service import ItemRecord

if TYPE_CHECKING:
    from fedshop_purchases.schema import User

OrderStatus = strawberry.enum(events.OrderStatus, name="OrderStatus")
OrderCancelReason = strawberry.enum(events.OrderCancelReason, name="OrderCancelReason")
PaymentMethod = strawberry.enum(events.PaymentMethod, name="PaymentMethod")


def _user_of(root: "Order") -> Annotated["User", strawberry.lazy("fedshop_purchases.schema")]:
    from fedshop_purchases.schema import User  # the entity that also holds User.orders

    return User(id=strawberry.ID(str(root.user_id)))


async def _item_of(root: "OrderLine", info: Info) -> Item:
    row = await info.context.item_loader.load(root.item_id)
    if row is None:  # items are never deleted; the line still says what it was
        row = ItemRecord(id=root.item_id, name=root.name, price=root.unit_price, active=False)
    return Item.from_row(row)


@strawberry.type
class OrderLine:
    item: Item = strawberry.field(resolver=_item_of)
    quantity: int
    unit_price: float
    line_total: float
    item_id: strawberry.Private[int]
    name: strawberry.Private[str]


@strawberry.federation.type(keys=["id"])
class Order:
    id: strawberry.ID

    user: Annotated["User", strawberry.lazy("fedshop_purchases.schema")] = strawberry.field(
        resolver=_user_of
    )
    status: OrderStatus
    reason: OrderCancelReason | None = strawberry.field(
        description="Why it was cancelled; null unless CANCELLED."
    )
    payment_error: str | None = strawberry.field(
        description="The payment service's words when it refused the payment (e.g. \"card "
        'declined").'
    )
    total: float
    lines: list[OrderLine]
    placed_at: datetime
    email: EmailNotification | None = strawberry.field(
        description="Null until the email worker has reported the order's email (confirmation "
        "or cancellation)."
    )
    crypto_due: CryptoPrice | None = strawberry.field(
        description="What a crypto order must pay, at the quote it was placed at; null for a "
        "card order."
    )
    user_id: strawberry.Private[int]

    @classmethod
    def from_view(cls, view: OrderView) -> "Order":
        order = view.order
        due = TokenPrice.due(events.PaymentDetails.model_validate(order.payment))
        return cls(
            id=strawberry.ID(str(order.id)),
            status=OrderStatus(order.status),
            reason=OrderCancelReason(order.reason) if order.reason else None,
            payment_error=order.payment_error,
            total=float(order.total),
            lines=[
                OrderLine(
                    quantity=line.quantity,
                    unit_price=float(line.unit_price),
                    line_total=float(line.unit_price * line.quantity),
                    item_id=line.item_id,
                    name=line.name,
                )
                for line in view.lines
            ],
            placed_at=order.placed_at,
            crypto_due=CryptoPrice.of(due) if due else None,
            email=EmailNotification.stored(order),
            user_id=order.user_id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Order | None":
        try:
            view = await info.context.orders.get_order(id)
        except NotFound:
            return None
        await access(info).authorize_reading(info.context.auth, view.order.user_id, "orders")
        return cls.from_view(view)


@strawberry.input
class CheckoutLine:
    item_id: strawberry.ID
    quantity: int = 1


@strawberry.input
class PaymentInput:
    method: PaymentMethod = PaymentMethod.CARD
    card: str | None = None
    symbol: str | None = strawberry.field(default=None, description="With CRYPTO: the token.")
    tx_hash: str | None = strawberry.field(
        default=None, description="With CRYPTO: the transaction that paid the shop's address."
    )


async def orders_of_user(info: Info, user_id: object, page: PageRequest) -> Connection[Order]:
    """The resolver of `User.orders`: batched, one query for a page of users."""
    await access(info).authorize_reading(info.context.auth, user_id, "orders")
    parsed = parse_int_id(user_id)
    if parsed is None:
        return Connection.of(Page([], [], False, 0), Order.from_view)
    found = await info.context.orders_of_user.load((parsed, page))
    return Connection.of(found, Order.from_view)


@strawberry.type
class OrderQuery:
    @strawberry.field
    async def order(self, info: Info, id: strawberry.ID) -> Order | None:
        return await Order.resolve_reference(info, id)


@strawberry.type
class OrderMutation:
    @strawberry.mutation(
        description="Reserve every line's stock at once (all or nothing) and place an order "
        "awaiting payment."
    )
    async def checkout(
        self,
        info: Info,
        user_id: strawberry.ID,
        items: list[CheckoutLine],
        payment: PaymentInput | None = None,
        idempotency_key: str | None = None,
    ) -> Order:
        auth = info.context.auth
        await access(info).authorize_purchase(auth, user_id, client_address(info.context.request))
        paying = (
            {
                "method": payment.method,
                "card": payment.card,
                "symbol": payment.symbol,
                "tx_hash": payment.tx_hash,
            }
            if payment
            else None
        )
        wanted = checkout_request(
            user_id, [(line.item_id, line.quantity) for line in items], paying
        )
        placed = await info.context.orders.checkout(wanted, idempotency_key, auth.authorization)
        return Order.from_view(placed)


def _done(view: OrderView) -> bool:
    """Nothing more will change: settled, and its email reported."""
    return view.order.status != events.OrderStatus.AWAITING_PAYMENT and (
        view.order.email_sent_at is not None
    )


def _state(view: OrderView) -> tuple:
    return view.order.status, view.order.email_sent_at


@strawberry.type
class OrderSubscription:
    @strawberry.subscription(
        description="The order now, then each change; completes once it is paid or cancelled "
        "and its email is reported."
    )
    async def order_updated(self, info: Info, id: strawberry.ID) -> AsyncGenerator[Order, None]:
        orders, changes = info.context.orders, info.context.changes
        async with changes.listen(id, "order") as listener:
            view = await orders.get_order(id)
            await access(info).authorize_reading(info.context.auth, view.order.user_id, "orders")
            yield Order.from_view(view)
            while not _done(view):
                await listener.wait(RECHECK_SECONDS)
                changed = await orders.get_order(view.order.id)
                if _state(changed) != _state(view):
                    yield Order.from_view(changed)
                view = changed
