"""What every part of the purchases subgraph shares: the request context (services, loaders),
the access rules' door, `EmailNotification` and `Item`."""

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from fedshop_common import events
from fedshop_common.auth.doors import AuthContext
from fedshop_common.ids import parse_int_id
from fedshop_common.pages import Page, PageRequest
from strawberry.dataloader import DataLoader

from fedshop_purchases.access import PurchaseAccess
from fedshop_purchases.crypto.types import CryptoPrice
from fedshop_purchases.live import LiveChanges
from fedshop_purchases.models import Purchase as PurchaseRow
from fedshop_purchases.orders.repository import OrderView
from fedshop_purchases.orders.service import OrdersService
from fedshop_purchases.service import ItemRecord, PurchasesService

# A subscriber re-reads the purchase at least this often, even if a notification was missed.
RECHECK_SECONDS = 5.0


class Context(AuthContext):
    def __init__(
        self, service: PurchasesService, orders: OrdersService, changes: LiveChanges
    ) -> None:
        super().__init__()
        self.service = service
        self.orders = orders
        self.changes = changes
        # Per request: every list below resolves in one query, however many parents it has.
        self.item_loader: DataLoader[int, ItemRecord | None] = DataLoader(service.items_by_ids)
        self.purchases_of_user: DataLoader[tuple[int, PageRequest], Page[PurchaseRow]] = DataLoader(
            service.purchase_pages
        )
        self.orders_of_user: DataLoader[tuple[int, PageRequest], Page[OrderView]] = DataLoader(
            orders.order_pages
        )


Info = strawberry.Info[Context, Any]


def access(info: Info) -> PurchaseAccess:
    return info.context.request.app.state.access


EmailKind = strawberry.enum(events.EmailKind, name="EmailKind")


@strawberry.type
class EmailNotification:
    kind: EmailKind
    recipient: str
    subject: str
    sent_at: datetime

    @classmethod
    def stored(cls, row: Any) -> "EmailNotification | None":
        """The email reported for a purchase or an order (None until it is)."""
        if row.email_sent_at is None:
            return None
        return cls(
            kind=EmailKind(row.email_kind),
            recipient=row.email_recipient,
            subject=row.email_subject,
            sent_at=row.email_sent_at,
        )


@strawberry.federation.type(keys=["id"])
class Item:
    """Resolved here from the shop's copy of the catalog (so the shop answers while the
    warehouse is down); the inventory subgraph resolves the same fields from the warehouse."""

    id: strawberry.ID
    name: str = strawberry.federation.field(shareable=True)
    description: str = strawberry.federation.field(shareable=True)
    price: float = strawberry.federation.field(shareable=True)
    quantity: int | None = strawberry.federation.field(
        shareable=True, description="Units left; null: untracked (unlimited)."
    )
    active: bool = strawberry.federation.field(shareable=True)

    @strawberry.field(
        description="The price in a crypto token at the latest quote, with the quote's age. "
        "SERVICE_UNAVAILABLE when the shop has no quote yet; BAD_USER_INPUT for a token it "
        "does not accept."
    )
    async def price_in(self, info: Info, symbol: str) -> CryptoPrice:
        prices = info.context.request.app.state.crypto
        return CryptoPrice.of(await prices.price_in(Decimal(str(self.price)), symbol))

    @classmethod
    def from_row(cls, row: ItemRecord) -> "Item":
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            description=row.description,
            price=float(row.price),
            quantity=row.quantity,
            active=row.active,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Item | None":
        item_id = parse_int_id(id)
        row = await info.context.item_loader.load(item_id) if item_id else None
        return cls.from_row(row) if row else None
