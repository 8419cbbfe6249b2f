"""The sale's use cases, shared by the REST routes and the GraphQL resolvers: create and read
sales, enter a queue, read a ticket, buy with a purchase token. (Deciding the queue is the
worker's: `decisions.py`.)"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

import structlog
from fedshop_common.auth import Forbidden, Unauthenticated
from fedshop_common.database import transaction
from fedshop_common.errors import Conflict, Gone, InvalidInput, NotFound
from fedshop_common.ids import parse_int_id, parse_uuid
from fedshop_common.outbox import add_event
from fedshop_common.pages import Page, PageRequest
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_purchases import stock
from fedshop_purchases.orders.checkout import ShortOfStock, place_order
from fedshop_purchases.orders.repository import OrderView, orders_by_ids
from fedshop_purchases.orders.requests import PaymentRequest, checkout_request
from fedshop_purchases.sale import repository
from fedshop_purchases.sale.events import SaleEntered
from fedshop_purchases.sale.models import Sale, SaleEntry
from fedshop_purchases.sale.tickets import EntryStatus, SaleState, Ticket, sale_state
from fedshop_purchases.sale.tokens import SaleTokens, TokenClaims, TokenKind, now
from fedshop_purchases.users_client import UsersClient

MAX_UNITS = 1_000_000
MAX_PRICE = Decimal("99999999.99")  # Numeric(10, 2)

log = structlog.get_logger()


@dataclass(frozen=True)
class NewSale:
    """A sale as a door received it (ids and numbers as sent), checked by `create_sale`."""

    item_id: object
    price: object
    units: object
    starts_at: datetime
    ends_at: datetime


class SoldOut(Gone):
    def __init__(self) -> None:
        super().__init__("sold out: every unit of this sale has gone to someone ahead of you")


class SalesService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        users: UsersClient,
        tokens: SaleTokens,
        queue_capacity: int,
        outbox_written: Callable[[], None],
        stock_changed: Callable[[], Awaitable[None]],
        announce: Callable[[uuid.UUID, str], Awaitable[None]],
    ) -> None:
        self._sessions = sessions
        self._users = users
        self._tokens = tokens
        self._capacity = queue_capacity
        self._outbox_written = outbox_written
        self._stock_changed = stock_changed  # the cached items show the counters
        self._announce = announce  # live updates: (id, "sale" | "order")

    async def create_sale(self, new: NewSale) -> Sale:
        """Admins only (access.py). Bad input: a 422 naming the field; an unknown item: 404."""
        sale = _checked(new)
        async with transaction(self._sessions) as session:
            if await stock.item_for_sale(session, sale.item_id) is None:
                raise NotFound(f"item {new.item_id} not found", field="itemId")
            session.add(sale)
        log.info("sale created", sale_id=str(sale.id), item_id=sale.item_id, units=sale.units)
        return sale

    async def get_sale(self, raw_id: object) -> Sale:
        sale_id = parse_uuid(raw_id)
        async with self._sessions() as session:
            sale = await repository.sale_by_id(session, sale_id) if sale_id else None
        if sale is None:
            raise _unknown_sale(raw_id)
        return sale

    async def page_of_sales(self, page: PageRequest) -> Page[Sale]:
        """Newest first, a page at a time."""
        async with self._sessions() as session:
            return await repository.page_of_sales(session, page)

    async def enter(self, raw_sale_id: object, user_id: int) -> Ticket:
        """The user's place in the sale's queue: a new one, or the one they already have."""
        sale, earlier = await self._sale_and_entry_of(raw_sale_id, user_id)
        if earlier is not None:
            return Ticket(earlier, sale, now())
        at = now()
        state = sale_state(sale, at)
        if state == SaleState.UPCOMING:
            raise Conflict(f"the sale has not opened yet: it opens at {sale.starts_at.isoformat()}")
        if state == SaleState.OVER:
            raise Gone("the sale is over")
        if state == SaleState.SOLD_OUT:
            raise SoldOut()
        try:
            entry = await self._write_entry(sale, user_id, at)
        except IntegrityError:
            # The same user's concurrent request took its place first: that is the answer.
            sale, earlier = await self._sale_and_entry_of(sale.id, user_id)
            if earlier is None:
                raise
            return Ticket(earlier, sale, now())
        self._outbox_written()
        return Ticket(entry, sale, at)

    async def _sale_and_entry_of(
        self, raw_sale_id: object, user_id: int
    ) -> tuple[Sale, SaleEntry | None]:
        sale_id = parse_uuid(raw_sale_id)
        async with self._sessions() as session:
            found = (
                await repository.sale_and_entry_of(session, sale_id, user_id) if sale_id else None
            )
        if found is None or found[0] is None:
            raise _unknown_sale(raw_sale_id)
        return found[0], found[1]

    async def _write_entry(self, sale: Sale, user_id: int, at: datetime) -> SaleEntry:
        """The entry, its place and its `sale.entered` event, in one transaction; the place is
        taken last, so the sale's row is locked for as short a time as can be."""
        entry_id = uuid.uuid4()
        token, _ = self._tokens.issue(TokenKind.QUEUE, user_id, sale.id, entry_id, at)
        entry = SaleEntry(
            id=entry_id,
            sale_id=sale.id,
            user_id=user_id,
            seq=0,  # given by add_entry
            status=EntryStatus.WAITING,
            queue_token=token,
            entered_at=at,
        )
        async with transaction(self._sessions) as session:
            add_event(
                session,
                SaleEntered(sale_id=sale.id, entry_id=entry_id, user_id=user_id, queue_token=token),
            )
            await session.flush()
            decided = await repository.add_entry(session, entry, self._capacity)
            if decided is None:
                raise Conflict("the queue of this sale is full: try again later")
        sale.decided = decided
        return entry

    async def ticket(self, queue_token: str, user_id: int) -> Ticket:
        """The ticket of a queue token: 401 forged, expired or never issued; 403 another
        user's."""
        claims = self._tokens.read(TokenKind.QUEUE, queue_token)
        _held_by(claims, user_id, TokenKind.QUEUE)
        async with self._sessions() as session:
            entry = await repository.entry_by_id(session, claims.jti)
            sale = await repository.sale_by_id(session, claims.sale_id)
        if entry is None or sale is None or entry.queue_token != queue_token:
            raise Unauthenticated("this queue token was never issued by this shop")
        return Ticket(entry, sale, now())

    async def buy(
        self,
        purchase_token: str,
        user_id: int,
        payment: PaymentRequest | dict | None = None,
        authorization: str | None = None,  # the buyer's, for the users service
    ) -> OrderView:
        """The order for the sale's one unit at the sale price, awaiting payment like a
        checkout's. A purchase token works once: 401 forged, expired or never issued; 403
        another user's; 409 used already or the item out of stock."""
        claims = self._tokens.read(TokenKind.PURCHASE, purchase_token)
        _held_by(claims, user_id, TokenKind.PURCHASE)
        buyer = await self._users.buyer(user_id, authorization)
        async with transaction(self._sessions) as session:
            entry = await repository.entry_by_purchase_jti_for_update(session, claims.jti)
            sale = await repository.sale_by_id(session, claims.sale_id)
            if entry is None or sale is None or entry.purchase_token != purchase_token:
                raise Unauthenticated("this purchase token was never issued by this shop")
            if entry.status == EntryStatus.USED:
                raise Conflict("this purchase token was used already", order_id=str(entry.order_id))
            request = checkout_request(user_id, [(sale.item_id, 1)], payment)
            try:
                placed, stock_moved = await place_order(
                    session, request, buyer, None, prices={sale.item_id: sale.price}
                )
            except ShortOfStock as error:
                raise Conflict("out of stock: the shop has no unit of this item left") from error
            entry.status = EntryStatus.USED
            entry.order_id = placed.order.id
        self._outbox_written()
        if stock_moved:
            await self._stock_changed()
        log.info("sale unit bought", sale_id=str(sale.id), order_id=str(placed.order.id))
        await self._notify(placed.order.id, "order")
        await self._notify(sale.id, "sale")
        return placed

    async def order_of(self, ticket: Ticket) -> OrderView | None:
        if ticket.entry.order_id is None:
            return None
        async with self._sessions() as session:
            found = await orders_by_ids(session, [ticket.entry.order_id])
        return found[0] if found else None

    async def _notify(self, entity_id: uuid.UUID, kind: str) -> None:
        # Committed already: a lost notification only delays subscribers to their next re-read.
        try:
            await self._announce(entity_id, kind)
        except (RedisError, OSError) as error:
            log.warning("sale change not announced", id=str(entity_id), error=repr(error))


def _unknown_sale(raw_id: object) -> NotFound:
    return NotFound(f"sale {raw_id} not found", field="saleId")


def _held_by(claims: TokenClaims, user_id: int, kind: TokenKind) -> None:
    if claims.user_id != user_id:
        raise Forbidden(f"this {kind} token is another user's")


def _checked(new: NewSale) -> Sale:
    item_id = parse_int_id(new.item_id)
    if item_id is None:
        raise NotFound(f"item {new.item_id} not found", field="itemId")
    try:
        price = Decimal(str(new.price))
    except InvalidOperation as error:
        raise InvalidInput("the price is not a number", field="price") from error
    if not price.is_finite() or not Decimal(0) < price <= MAX_PRICE or price != round(price, 2):
        raise InvalidInput("the price must be above 0, in cents at most", field="price")
    units = new.units
    if isinstance(units, bool) or not isinstance(units, int) or not 1 <= units <= MAX_UNITS:
        raise InvalidInput(f"units must be a whole number from 1 to {MAX_UNITS}", field="units")
    for name, at in (("startsAt", new.starts_at), ("endsAt", new.ends_at)):
        if at.tzinfo is None:
            raise InvalidInput("a time needs its offset (e.g. 2026-12-01T12:00:00Z)", field=name)
    if new.ends_at <= new.starts_at:
        raise InvalidInput("the sale must end after it starts", field="endsAt")
    return Sale(
        item_id=item_id,
        price=price,
        units=units,
        units_left=units,
        starts_at=new.starts_at,
        ends_at=new.ends_at,
    )
