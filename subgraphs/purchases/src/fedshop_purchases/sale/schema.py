"""The flash sale's part of the purchases subgraph: `Sale`, `SaleTicket`, `Query.sale`,
`sales`, `saleTicket`, `Mutation.createSale`, `enterSale`, `buyWithTicket` and
`Subscription.saleTicket`."""

import asyncio
import dataclasses
from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from fedshop_common.errors import NotFound
from fedshop_common.pages import DEFAULT_PAGE, Connection, PageRequest

from fedshop_purchases.orders.schema import Order, PaymentInput
from fedshop_purchases.sale import tickets
from fedshop_purchases.sale.models import Sale as SaleRow
from fedshop_purchases.sale.models import SaleEntry
from fedshop_purchases.sale.service import NewSale, SalesService
from fedshop_purchases.sale.tokens import now
from fedshop_purchases.schema_parts import RECHECK_SECONDS, Info, Item, access

SaleState = strawberry.enum(tickets.SaleState, name="SaleState")
TicketStatus = strawberry.enum(tickets.TicketStatus, name="TicketStatus")
# The statuses after which a ticket changes no more.
FINAL = (tickets.TicketStatus.SOLD_OUT, tickets.TicketStatus.USED, tickets.TicketStatus.EXPIRED)
# A subscriber re-reads its ticket at most this often, however fast the queue moves.
TICKET_READ_EVERY_SECONDS = 0.5


def _sales(info: Info) -> SalesService:
    return info.context.request.app.state.sales


@strawberry.federation.type(keys=["id"])
class Sale:
    id: strawberry.ID
    price: float = strawberry.field(description="The sale price.")
    units: int
    units_left: int = strawberry.field(description="Units not yet given a purchase token.")
    starts_at: datetime
    ends_at: datetime
    state: SaleState
    item_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: SaleRow) -> "Sale":
        return cls(
            id=strawberry.ID(str(row.id)),
            price=float(row.price),
            units=row.units,
            units_left=row.units_left,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            state=SaleState(tickets.sale_state(row, now())),
            item_id=row.item_id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Sale | None":
        try:
            return cls.from_row(await _sales(info).get_sale(id))
        except NotFound:
            return None

    @strawberry.field
    async def item(self, info: Info) -> Item:
        row = await info.context.item_loader.load(self.item_id)
        if row is None:  # items are never deleted
            raise NotFound(f"item {self.item_id} not found")
        return Item.from_row(row)


@strawberry.input
class NewSaleInput:
    item_id: strawberry.ID
    price: float
    units: int
    starts_at: datetime
    ends_at: datetime


@strawberry.type
class SaleTicket:
    queue_token: str
    sale: Sale
    position: int = strawberry.field(
        description="Places ahead of this ticket still waiting for the worker (0 once decided)."
    )
    status: TicketStatus
    purchase_token: str | None = strawberry.field(description="Set when READY.")
    entry: strawberry.Private[SaleEntry]

    @classmethod
    def of(cls, ticket: tickets.Ticket) -> "SaleTicket":
        return cls(
            queue_token=ticket.entry.queue_token,
            sale=Sale.from_row(ticket.sale),
            position=ticket.position,
            status=TicketStatus(ticket.status),
            purchase_token=ticket.purchase_token,
            entry=ticket.entry,
        )

    @strawberry.field(description="Set when USED.")
    async def order(self, info: Info) -> Order | None:
        if self.entry.order_id is None:
            return None
        return await Order.resolve_reference(info, strawberry.ID(str(self.entry.order_id)))


async def _ticket(info: Info, queue_token: str) -> tickets.Ticket:
    customer = await access(info).sale_customer(info.context.auth)
    return await _sales(info).ticket(queue_token, customer.user_id)


@strawberry.type
class SaleQuery:
    @strawberry.field(description="Null when unknown.")
    async def sale(self, info: Info, id: strawberry.ID) -> Sale | None:
        return await Sale.resolve_reference(info, id)

    @strawberry.field(description="The sales, newest first, a page at a time.")
    async def sales(
        self, info: Info, first: int = DEFAULT_PAGE, after: str | None = None
    ) -> Connection[Sale]:
        page = await _sales(info).page_of_sales(PageRequest.asked_in(info, first, after))
        return Connection.of(page, Sale.from_row)

    @strawberry.field(
        description="Signed in. Null with UNAUTHENTICATED for a forged, expired or never issued "
        "queue token; with FORBIDDEN for another user's. (Nullable: an error here must not "
        "blank the other fields of the same request.)"
    )
    async def sale_ticket(self, info: Info, queue_token: str) -> SaleTicket | None:
        return SaleTicket.of(await _ticket(info, queue_token))


@strawberry.type
class SaleMutation:
    @strawberry.mutation(description="Admin only (FORBIDDEN otherwise).")
    async def create_sale(self, info: Info, input: NewSaleInput) -> Sale:
        await access(info).authorize_sale_creation(info.context.auth)
        new = NewSale(input.item_id, input.price, input.units, input.starts_at, input.ends_at)
        return Sale.from_row(await _sales(info).create_sale(new))

    @strawberry.mutation(
        description="Signed in. Not open yet: CONFLICT; over or sold out: GONE; queue full: "
        "CONFLICT. Already in this queue: the same ticket back (not a second place)."
    )
    async def enter_sale(self, info: Info, sale_id: strawberry.ID) -> SaleTicket:
        customer = await access(info).sale_customer(info.context.auth)
        return SaleTicket.of(await _sales(info).enter(sale_id, customer.user_id))

    @strawberry.mutation(
        description="Signed in. The order for the one unit at the sale price (it goes through "
        "payment like a checkout). Used before: CONFLICT; expired or forged: UNAUTHENTICATED; "
        "another user's: FORBIDDEN."
    )
    async def buy_with_ticket(
        self, info: Info, purchase_token: str, payment: PaymentInput | None = None
    ) -> Order:
        auth = info.context.auth
        customer = await access(info).sale_customer(auth)
        paying = dataclasses.asdict(payment) if payment else None
        placed = await _sales(info).buy(
            purchase_token, customer.user_id, paying, auth.authorization
        )
        return Order.from_view(placed)


@strawberry.type
class SaleSubscription:
    @strawberry.subscription(
        description="The ticket now, then each time it changes (position moves, READY, "
        "SOLD_OUT, USED); completes once it changes no more."
    )
    async def sale_ticket(self, info: Info, queue_token: str) -> AsyncGenerator[SaleTicket, None]:
        ticket = await _ticket(info, queue_token)
        async with info.context.changes.listen(ticket.sale.id, "sale") as listener:
            ticket = await _ticket(info, queue_token)  # listening now: no change falls between
            yield SaleTicket.of(ticket)
            while ticket.status not in FINAL:
                await listener.wait(RECHECK_SECONDS)
                changed = await _ticket(info, queue_token)
                if (changed.status, changed.position) != (ticket.status, ticket.position):
                    yield SaleTicket.of(changed)
                ticket = changed
                await asyncio.sleep(TICKET_READ_EVERY_SECONDS)
