"""REST routes: `/items`, `POST /purchase` and `/purchases/{id}`."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fedshop_common.auth.doors import RequestAuth, client_address, principal_dependency
from fedshop_common.events import EmailKind, PurchaseReason, PurchaseStatus
from fedshop_common.pages import MAX_PAGE, PageRequest, link_next
from pydantic import BaseModel, Field

from fedshop_purchases.access import PurchaseAccess
from fedshop_purchases.crypto.prices import CryptoPrices, TokenPrice
from fedshop_purchases.idempotency import IDEMPOTENCY_KEY_PATTERN
from fedshop_purchases.models import Purchase
from fedshop_purchases.service import ItemRecord, PurchasesService


class TokenPriceOut(BaseModel):
    symbol: str = Field(examples=["ETH"])
    amount: float = Field(examples=[0.00333334], description="In the token, rounded up")
    usd_rate: float = Field(examples=[3000.0], description="USD for one token at the quote")
    quoted_at: datetime
    age_seconds: int = Field(description="How old the quote is now")

    @classmethod
    def of(cls, price: TokenPrice) -> "TokenPriceOut":
        return cls.model_validate(price, from_attributes=True)


class ItemOut(BaseModel):
    id: int = Field(examples=[1])
    name: str = Field(examples=["Table"])
    price: float = Field(examples=[10.0])
    quantity: int | None = Field(
        examples=[3], description="Units left to sell; null: untracked (unlimited)"
    )

    @classmethod
    def of(cls, item: ItemRecord) -> "ItemOut":
        return cls(id=item.id, name=item.name, price=float(item.price), quantity=item.quantity)


class PricedItemOut(ItemOut):
    """An item with its price in the token asked for (`GET /items?currency=ETH`)."""

    price_in: TokenPriceOut

    @classmethod
    def priced(cls, item: ItemRecord, price_in: TokenPrice) -> "PricedItemOut":
        return cls(**ItemOut.of(item).model_dump(), price_in=TokenPriceOut.of(price_in))


class PurchaseRequest(BaseModel):
    user_id: int = Field(gt=0, examples=[1])
    item_id: int = Field(gt=0, examples=[1])


class EmailOut(BaseModel):
    kind: EmailKind
    recipient: str
    subject: str
    sent_at: datetime


class PurchaseOut(BaseModel):
    id: uuid.UUID
    user_id: int
    item_id: int
    price: float
    status: PurchaseStatus
    reason: PurchaseReason | None = Field(
        description="Why it was rejected: price_limit or out_of_stock; null when it succeeded"
    )
    quantity: int
    email_status: Literal["pending", "sent"]
    email: EmailOut | None
    created_at: datetime

    @classmethod
    def of(cls, purchase: Purchase) -> "PurchaseOut":
        email = None
        if purchase.email_sent_at is not None:
            email = EmailOut(
                kind=purchase.email_kind,
                recipient=purchase.email_recipient,
                subject=purchase.email_subject,
                sent_at=purchase.email_sent_at,
            )
        return cls(
            id=purchase.id,
            user_id=purchase.user_id,
            item_id=purchase.item_id,
            price=float(purchase.price),
            status=purchase.status,
            reason=purchase.reason,
            quantity=purchase.quantity,
            email_status="sent" if email else "pending",
            email=email,
            created_at=purchase.created_at,
        )


# The dependency verifies the token and describes Bearer auth in /docs (the Authorize button);
# a bad token is a 401 on every route, never read as anonymous.
router = APIRouter(
    dependencies=[Depends(principal_dependency())],
    responses={401: {"description": "A bad or expired access token"}},
)
NOT_FOUND = {404: {"description": "Unknown user or item"}}
ACCESS = {
    401: {"description": "A bad or expired token, or none where one is needed"},
    403: {"description": "The token's user may not act for this user"},
}


def _service(request: Request) -> PurchasesService:
    return request.app.state.purchases


def _access(request: Request) -> PurchaseAccess:
    return request.app.state.access


ITEMS_RESPONSES = {
    422: {"description": "A token the shop does not accept, or a malformed page"},
    503: {"description": "`currency` asked and the shop has no quote for it yet"},
}


# Without `currency` each item is exactly the task statement's (no price_in key at all).
ITEMS_OUT = list[PricedItemOut] | list[ItemOut]


@router.get("/items", response_model=ITEMS_OUT, tags=["items"], responses=ITEMS_RESPONSES)
@router.get("/api/items", response_model=ITEMS_OUT, tags=["items"], responses=ITEMS_RESPONSES)
async def list_items(
    request: Request,
    response: Response,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE)] = None,
    after: str | None = None,
    currency: Annotated[
        str | None, Query(max_length=16, description="A token (e.g. ETH): prices in it too")
    ] = None,
) -> list[PricedItemOut] | list[ItemOut]:
    """The items on sale (active) with the units left. With `limit` (and `after`), a page:
    `Link: <…>; rel="next"` names the next one. With `currency`, each price in that token at
    the latest quote, with the quote's age."""
    if limit is None and after is None:
        items = await _service(request).list_items()
    else:
        page_request = PageRequest(limit or MAX_PAGE, after, "limit", counted=False)
        page = await _service(request).page_of_items(page_request)
        link_next(request, response, page, page_request.first)
        items = page.rows
    if currency is None:
        return [ItemOut.of(item) for item in items]
    crypto: CryptoPrices = request.app.state.crypto
    prices = await crypto.prices_in([item.price for item in items], currency)
    return [PricedItemOut.priced(item, price) for item, price in zip(items, prices, strict=True)]


@router.post(
    "/purchase",
    status_code=201,
    response_model=PurchaseOut,
    tags=["purchases"],
    responses={
        **NOT_FOUND,
        **ACCESS,
        409: {"description": "The item is not for sale (inactive)"},
        422: {"description": "A malformed body, or an Idempotency-Key used for another purchase"},
        429: {"description": "Too many purchases from this address; see Retry-After"},
        503: {"description": "The users service is unavailable"},
    },
)
async def purchase(
    body: PurchaseRequest,
    request: Request,
    idempotency_key: Annotated[str | None, Header(pattern=IDEMPOTENCY_KEY_PATTERN)] = None,
) -> PurchaseOut:
    auth = RequestAuth.of(request)
    await _access(request).authorize_purchase(auth, body.user_id, client_address(request))
    bought = await _service(request).purchase(
        body.user_id, body.item_id, idempotency_key, auth.authorization
    )
    return PurchaseOut.of(bought)


@router.get(
    "/purchases/{purchase_id}",
    response_model=PurchaseOut,
    tags=["purchases"],
    responses={**NOT_FOUND, **ACCESS},
)
async def get_purchase(purchase_id: str, request: Request) -> PurchaseOut:
    purchase = await _service(request).get_purchase(purchase_id)
    await _access(request).authorize_reading(RequestAuth.of(request), purchase.user_id)
    return PurchaseOut.of(purchase)
