"""The purchases subgraph: `Item`, `Purchase`, `User.purchases`, the purchase mutation and
`purchaseUpdated`; the orders (`orders/schema.py`) and sale (`sale/schema.py`) parts merged in."""

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from fedshop_common import events
from fedshop_common.auth.doors import client_address
from fedshop_common.errors import NotFound, graphql_errors
from fedshop_common.ids import parse_int_id
from fedshop_common.pages import DEFAULT_PAGE, Connection, Page, PageRequest
from strawberry.extensions import ParserCache, ValidationCache

from fedshop_purchases.crypto.schema import CryptoMutation, CryptoQuery
from fedshop_purchases.models import Purchase as PurchaseRow
from fedshop_purchases.orders.schema import (
    Order,
    OrderMutation,
    OrderQuery,
    OrderSubscription,
    orders_of_user,
)
from fedshop_purchases.sale.schema import SaleMutation, SaleQuery, SaleSubscription
from fedshop_purchases.schema_parts import (
    RECHECK_SECONDS,
    Context,
    EmailNotification,
    Info,
    Item,
    access,
)

__all__ = ["Context", "schema"]

PurchaseStatus = strawberry.enum(events.PurchaseStatus, name="PurchaseStatus")
PurchaseReason = strawberry.enum(events.PurchaseReason, name="PurchaseReason")


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID

    @strawberry.field(
        description="The user's purchases, newest first, a page at a time. Signed-in mode: the "
        "user's own (or any, for admins); null with a FORBIDDEN / UNAUTHENTICATED error otherwise."
    )
    async def purchases(
        self, info: Info, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection["Purchase"] | None:
        await access(info).authorize_reading(info.context.auth, self.id)
        page = PageRequest(first, after)
        user_id = parse_int_id(self.id)
        if user_id is None:
            return Connection.of(Page([], [], False, 0), Purchase.from_row)
        found = await info.context.purchases_of_user.load((user_id, page))
        return Connection.of(found, Purchase.from_row)

    @strawberry.field
    async def orders(
        self, info: Info, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[Order] | None:
        return await orders_of_user(info, self.id, PageRequest(first, after))


@strawberry.federation.type(keys=["id"])
class Purchase:
    id: strawberry.ID
    price: float
    status: PurchaseStatus
    reason: PurchaseReason | None = strawberry.field(
        description="Why it was rejected; null when it succeeded."
    )
    quantity: int
    email: EmailNotification | None = strawberry.field(
        description="Null until the email worker has reported the email."
    )
    created_at: datetime
    user_id: strawberry.Private[int]
    item_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: PurchaseRow) -> "Purchase":
        return cls(
            id=strawberry.ID(str(row.id)),
            price=float(row.price),
            status=PurchaseStatus(row.status),
            reason=PurchaseReason(row.reason) if row.reason else None,
            quantity=row.quantity,
            email=EmailNotification.stored(row),
            created_at=row.created_at,
            user_id=row.user_id,
            item_id=row.item_id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Purchase | None":
        try:
            return cls.from_row(await info.context.service.get_purchase(id))
        except NotFound:
            return None

    @strawberry.field
    def user(self) -> User:
        return User(id=strawberry.ID(str(self.user_id)))

    @strawberry.field
    async def item(self, info: Info) -> Item:
        return Item.from_row(await info.context.item_loader.load(self.item_id))


@strawberry.type
class Query(OrderQuery, CryptoQuery, SaleQuery):
    @strawberry.field(description="The items on sale (active), with the units left.")
    async def items(self, info: Info) -> list[Item]:
        return [Item.from_row(row) for row in await info.context.service.list_items()]

    @strawberry.field
    async def item(self, info: Info, id: strawberry.ID) -> Item | None:
        return await Item.resolve_reference(info, id)

    @strawberry.field
    async def purchase(self, info: Info, id: strawberry.ID) -> Purchase | None:
        found = await Purchase.resolve_reference(info, id)
        if found is not None:
            await access(info).authorize_reading(info.context.auth, found.user_id)
        return found


@strawberry.type
class Mutation(OrderMutation, CryptoMutation, SaleMutation):
    @strawberry.mutation(
        description="Buy an item: it succeeds when the price is below 50 and a unit is left "
        "(REJECTED with reason OUT_OF_STOCK otherwise); an inactive item is a CONFLICT."
    )
    async def purchase(
        self,
        info: Info,
        user_id: strawberry.ID,
        item_id: strawberry.ID,
        idempotency_key: str | None = None,
    ) -> Purchase:
        auth = info.context.auth
        await access(info).authorize_purchase(auth, user_id, client_address(info.context.request))
        row = await info.context.service.purchase(
            user_id, item_id, idempotency_key, auth.authorization
        )
        return Purchase.from_row(row)


@strawberry.type
class Subscription(OrderSubscription, SaleSubscription):
    @strawberry.subscription(
        description="The purchase now, then each change; completes once its email is reported."
    )
    async def purchase_updated(
        self, info: Info, id: strawberry.ID
    ) -> AsyncGenerator[Purchase, None]:
        service, changes = info.context.service, info.context.changes
        async with changes.listen(id) as listener:
            row = await service.get_purchase(id)
            await access(info).authorize_reading(info.context.auth, row.user_id)
            yield Purchase.from_row(row)
            while row.email_sent_at is None:
                await listener.wait(RECHECK_SECONDS)
                changed = await service.get_purchase(row.id)
                if changed.email_sent_at != row.email_sent_at:
                    yield Purchase.from_row(changed)
                row = changed


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=[User],
    # The router sends the same few documents over and over: parse and validate each once.
    extensions=[
        graphql_errors(),
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
    ],
)
