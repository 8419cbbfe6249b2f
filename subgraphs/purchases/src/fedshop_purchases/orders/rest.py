"""REST routes of orders: `POST /api/checkout`, `GET /api/orders/{id}`, and a user's orders and
purchases a page at a time (`GET /api/users/{id}/orders`, `…/purchases`)."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fedshop_common.auth.doors import RequestAuth, client_address, principal_dependency
from fedshop_common.events import OrderCancelReason, OrderStatus, PaymentDetails
from fedshop_common.ids import MAX_INT_ID
from fedshop_common.pages import MAX_PAGE, Page, PageRequest, link_next
from pydantic import BaseModel, ConfigDict, Field

from fedshop_purchases.access import PurchaseAccess
from fedshop_purchases.crypto.prices import TokenPrice
from fedshop_purchases.idempotency import IDEMPOTENCY_KEY_PATTERN
from fedshop_purchases.orders.repository import OrderView
from fedshop_purchases.orders.requests import MAX_QUANTITY, PaymentRequest, checkout_request
from fedshop_purchases.orders.service import OrdersService
from fedshop_purchases.rest import ACCESS, EmailOut, PurchaseOut, TokenPriceOut
from fedshop_purchases.service import PurchasesService

ItemId = Annotated[int, Field(gt=0, le=MAX_INT_ID, examples=[2])]


class CheckoutLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: ItemId
    quantity: int = Field(default=1, ge=1, le=MAX_QUANTITY, examples=[3])


class CheckoutIn(BaseModel):
    user_id: int = Field(gt=0, le=MAX_INT_ID, examples=[1])
    items: (
        Annotated[list[CheckoutLineIn], Field(min_length=1)]
        | Annotated[list[ItemId], Field(min_length=1)]
    ) = Field(
        description="The lines; a bare list of item ids means one of each. No item twice.",
        examples=[[{"item_id": 2, "quantity": 3}]],
    )
    payment: PaymentRequest | None = Field(default=None, description="Optional: a card")

    def lines(self) -> list[tuple[object, object]]:
        return [
            (line, 1) if isinstance(line, int) else (line.item_id, line.quantity)
            for line in self.items
        ]


class OrderLineOut(BaseModel):
    item_id: int
    name: str
    quantity: int
    unit_price: float


class OrderOut(BaseModel):
    id: uuid.UUID
    user_id: int
    status: OrderStatus
    total: float
    reason: OrderCancelReason | None = Field(description="Why it was cancelled; null otherwise")
    payment_error: str | None = Field(
        description="The payment service's words when it refused the payment"
    )
    placed_at: datetime
    lines: list[OrderLineOut]
    email: EmailOut | None = Field(
        description="Null until the email worker has reported the order's email"
    )
    crypto_due: TokenPriceOut | None = Field(
        default=None,
        description="What a crypto order must pay, at the quote it was placed at; null for a card",
    )

    @classmethod
    def of(cls, view: OrderView) -> "OrderOut":
        order = view.order
        due = TokenPrice.due(PaymentDetails.model_validate(order.payment))
        email = None
        if order.email_sent_at is not None:
            email = EmailOut(
                kind=order.email_kind,
                recipient=order.email_recipient,
                subject=order.email_subject,
                sent_at=order.email_sent_at,
            )
        return cls(
            id=order.id,
            user_id=order.user_id,
            status=order.status,
            total=float(order.total),
            reason=order.reason,
            payment_error=order.payment_error,
            placed_at=order.placed_at,
            lines=[
                OrderLineOut(
                    item_id=line.item_id,
                    name=line.name,
                    quantity=line.quantity,
                    unit_price=float(line.unit_price),
                )
                for line in view.lines
            ],
            email=email,
            crypto_due=TokenPriceOut.of(due) if due else None,
        )


router = APIRouter(
    dependencies=[Depends(principal_dependency())],
    responses={401: {"description": "A bad or expired access token"}},
)
UserId = Annotated[int, Path(gt=0, le=MAX_INT_ID)]
PAGES = {
    200: {
        "description": 'Newest first; `Link: <…>; rel="next"` names the next page, if any',
        "headers": {"Link": {"description": "The next page", "schema": {"type": "string"}}},
    },
    422: {"description": "A bad limit, or an after that is no cursor of this list"},
}


def _orders(request: Request) -> OrdersService:
    return request.app.state.orders


def _access(request: Request) -> PurchaseAccess:
    return request.app.state.access


@router.post(
    "/api/checkout",
    status_code=201,
    response_model=OrderOut,
    tags=["orders"],
    responses={
        **ACCESS,
        404: {"description": "Unknown user or item"},
        409: {
            "description": "An item is not for sale (inactive), or short of stock: "
            "`short_items` lists the ids of the short ones; nothing is reserved"
        },
        422: {
            "description": "A malformed body (no line, a quantity outside 1..100, an item "
            "twice), or an Idempotency-Key used for another order"
        },
        429: {"description": "Too many purchases from this address; see Retry-After"},
        503: {"description": "The users service is unavailable"},
    },
)
async def checkout(
    body: CheckoutIn,
    request: Request,
    idempotency_key: Annotated[str | None, Header(pattern=IDEMPOTENCY_KEY_PATTERN)] = None,
) -> OrderOut:
    """Reserve every line's stock at once (all or nothing) and place an order awaiting
    payment. A repeat with the same Idempotency-Key (from the same user) returns that order."""
    auth = RequestAuth.of(request)
    await _access(request).authorize_purchase(auth, body.user_id, client_address(request))
    wanted = checkout_request(body.user_id, body.lines(), body.payment)
    placed = await _orders(request).checkout(wanted, idempotency_key, auth.authorization)
    return OrderOut.of(placed)


@router.get(
    "/api/orders/{order_id}",
    response_model=OrderOut,
    tags=["orders"],
    responses={**ACCESS, 404: {"description": "Unknown order"}},
)
async def get_order(order_id: str, request: Request) -> OrderOut:
    view = await _orders(request).get_order(order_id)
    await _access(request).authorize_reading(RequestAuth.of(request), view.order.user_id, "orders")
    return OrderOut.of(view)


Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]


@router.get(
    "/api/users/{user_id}/orders",
    response_model=list[OrderOut],
    tags=["orders"],
    responses={**ACCESS, **PAGES},
)
async def user_orders(
    user_id: UserId,
    request: Request,
    response: Response,
    limit: Limit = MAX_PAGE,
    after: str | None = None,
) -> list[OrderOut]:
    """The user's orders, newest first, `limit` at a time (an unknown user has none)."""
    await _access(request).authorize_reading(RequestAuth.of(request), user_id, "orders")
    page_request = PageRequest(limit, after, "limit", counted=False)
    page = await _orders(request).page_of_user_orders(user_id, page_request)
    return _paged(request, response, page, limit, OrderOut.of)


@router.get(
    "/api/users/{user_id}/purchases",
    response_model=list[PurchaseOut],
    tags=["purchases"],
    responses={**ACCESS, **PAGES},
)
async def user_purchases(
    user_id: UserId,
    request: Request,
    response: Response,
    limit: Limit = MAX_PAGE,
    after: str | None = None,
) -> list[PurchaseOut]:
    """The user's purchases, newest first, `limit` at a time (an unknown user has none)."""
    await _access(request).authorize_reading(RequestAuth.of(request), user_id)
    page_request = PageRequest(limit, after, "limit", counted=False)
    purchases: PurchasesService = request.app.state.purchases
    [page] = await purchases.purchase_pages([(user_id, page_request)])
    return _paged(request, response, page, limit, PurchaseOut.of)


def _paged(request: Request, response: Response, page: Page, limit: int, shape) -> list:  # noqa: ANN001
    link_next(request, response, page, limit)
    return [shape(row) for row in page.rows]
