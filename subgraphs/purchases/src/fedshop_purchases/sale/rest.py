"""REST routes of the flash sale: `POST /api/sales`, `GET /api/sales/{id}`,
`GET /api/queue/enter?sale=`, `POST /api/queue/exchange-qt-for-pt`, `POST /api/shop/purchase`."""

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from fedshop_common.auth.doors import RequestAuth, principal_dependency
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from fedshop_purchases.access import PurchaseAccess
from fedshop_purchases.orders.requests import PaymentRequest
from fedshop_purchases.orders.rest import OrderOut
from fedshop_purchases.sale.models import Sale
from fedshop_purchases.sale.service import NewSale, SalesService, SoldOut
from fedshop_purchases.sale.tickets import SaleState, TicketStatus, sale_state
from fedshop_purchases.sale.tokens import now


class SaleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: int = Field(gt=0, examples=[4])
    price: float = Field(gt=0, examples=[199.0], description="The sale price")
    units: int = Field(ge=1, examples=[100])
    starts_at: AwareDatetime = Field(examples=["2026-12-01T12:00:00Z"])
    ends_at: AwareDatetime = Field(examples=["2026-12-01T13:00:00Z"])


class SaleOut(BaseModel):
    id: uuid.UUID
    item_id: int
    price: float
    units: int
    units_left: int = Field(description="Units not yet given a purchase token")
    starts_at: datetime
    ends_at: datetime
    state: SaleState

    @classmethod
    def of(cls, sale: Sale) -> "SaleOut":
        return cls(
            id=sale.id,
            item_id=sale.item_id,
            price=float(sale.price),
            units=sale.units,
            units_left=sale.units_left,
            starts_at=sale.starts_at,
            ends_at=sale.ends_at,
            state=sale_state(sale, now()),
        )


class QueueTicketOut(BaseModel):
    queue_token: str = Field(description="A JWT (1 h): sub, sale, jti")
    position: int = Field(description="Places ahead of you still waiting for the worker")


class QueueTokenIn(BaseModel):
    queue_token: str = Field(max_length=4000)


class PurchaseTokenOut(BaseModel):
    purchase_token: str = Field(description="A JWT (1 h) that buys the sale's one unit once")


class NotYet(BaseModel):
    detail: str = Field(examples=["not yet"])
    position: int = Field(description="Places ahead of you still waiting for the worker")


class PurchaseTokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purchase_token: str = Field(max_length=4000)
    payment: PaymentRequest | None = Field(default=None, description="Optional: a card")


router = APIRouter(
    dependencies=[Depends(principal_dependency())],
    responses={401: {"description": "A bad or expired access token, or none"}},
)
SIGNED_IN = {401: {"description": "No access token, or a bad or expired one"}}
TOKEN_REFUSED = {
    401: {
        "description": "No access token (or a bad one), or the sale token is forged, expired "
        "or was never issued by this shop"
    },
    403: {"description": "The sale token is another user's"},
}


def _sales(request: Request) -> SalesService:
    return request.app.state.sales


def _access(request: Request) -> PurchaseAccess:
    return request.app.state.access


@router.post(
    "/api/sales",
    status_code=201,
    response_model=SaleOut,
    tags=["sale"],
    responses={
        **SIGNED_IN,
        403: {"description": "Not an admin"},
        404: {"description": "Unknown item"},
        422: {
            "description": "A malformed body, a price in fractions of a cent, an end before "
            "the start, a time without its offset"
        },
    },
)
async def create_sale(body: SaleIn, request: Request) -> SaleOut:
    """Admins only: a flash sale of `units` of one item at `price`, from `starts_at` to
    `ends_at`."""
    await _access(request).authorize_sale_creation(RequestAuth.of(request))
    new = NewSale(body.item_id, body.price, body.units, body.starts_at, body.ends_at)
    return SaleOut.of(await _sales(request).create_sale(new))


@router.get(
    "/api/sales/{sale_id}",
    response_model=SaleOut,
    tags=["sale"],
    responses={404: {"description": "Unknown sale"}},
)
async def get_sale(sale_id: str, request: Request) -> SaleOut:
    """Anyone: the sale, its units left and whether it is open."""
    return SaleOut.of(await _sales(request).get_sale(sale_id))


@router.get(
    "/api/queue/enter",
    response_model=QueueTicketOut,
    tags=["sale"],
    responses={
        **SIGNED_IN,
        404: {"description": "Unknown sale"},
        409: {"description": "The sale has not opened yet, or its queue is full"},
        410: {"description": "The sale is over, or sold out"},
    },
)
async def enter(request: Request, sale: str = Query(max_length=100)) -> QueueTicketOut:
    """Signed in: a place in the sale's queue (its queue token). Already in this queue: the
    same token back, not a second place."""
    customer = await _access(request).sale_customer(RequestAuth.of(request))
    ticket = await _sales(request).enter(sale, customer.user_id)
    return QueueTicketOut(queue_token=ticket.entry.queue_token, position=ticket.position)


@router.post(
    "/api/queue/exchange-qt-for-pt",
    response_model=PurchaseTokenOut,
    tags=["sale"],
    responses={
        202: {"model": NotYet, "description": "Not decided yet: the places ahead of you"},
        **TOKEN_REFUSED,
        410: {"description": "Sold out: every unit went to someone ahead of you"},
    },
)
async def exchange(body: QueueTokenIn, request: Request) -> PurchaseTokenOut | JSONResponse:
    """Signed in: the purchase token written for this queue token, once the worker has
    decided it."""
    customer = await _access(request).sale_customer(RequestAuth.of(request))
    ticket = await _sales(request).ticket(body.queue_token, customer.user_id)
    if ticket.status == TicketStatus.WAITING:
        return JSONResponse(
            NotYet(detail="not yet", position=ticket.position).model_dump(), status_code=202
        )
    if ticket.entry.purchase_token is None:
        raise SoldOut()
    return PurchaseTokenOut(purchase_token=ticket.entry.purchase_token)


@router.post(
    "/api/shop/purchase",
    status_code=201,
    response_model=OrderOut,
    tags=["sale"],
    responses={
        **TOKEN_REFUSED,
        409: {
            "description": "The purchase token was used already (`order_id` names its "
            "order), the item is out of stock, or not for sale"
        },
        422: {"description": "A malformed body"},
        503: {"description": "The users service is unavailable"},
    },
)
async def purchase(body: PurchaseTokenIn, request: Request) -> OrderOut:
    """Signed in: the order for the sale's one unit at the sale price, awaiting payment (the
    payment worker pays it, as for a checkout). A purchase token works once."""
    auth = RequestAuth.of(request)
    customer = await _access(request).sale_customer(auth)
    placed = await _sales(request).buy(
        body.purchase_token, customer.user_id, body.payment, auth.authorization
    )
    return OrderOut.of(placed)
