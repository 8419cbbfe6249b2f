"""The orders use cases, shared by the REST routes, the GraphQL resolvers, the payment
consumer and the payment timeout."""

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

import structlog
from fedshop_common.database import transaction
from fedshop_common.errors import NotFound, Unavailable
from fedshop_common.events import (
    OrderCancelReason,
    OrderEmailSent,
    OrderStatus,
    PaymentCompleted,
    PaymentDetails,
    PaymentMethod,
    PaymentStatus,
)
from fedshop_common.ids import parse_uuid
from fedshop_common.pages import Page, PageRequest, pages_by_request
from prometheus_client import Counter
from redis.exceptions import RedisError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_purchases.crypto.quotes import Quote, QuoteBook
from fedshop_purchases.idempotency import IdempotencyKeyReused, check_key
from fedshop_purchases.orders import repository, settlement
from fedshop_purchases.orders.checkout import place_order
from fedshop_purchases.orders.repository import OrderView
from fedshop_purchases.orders.requests import CheckoutRequest
from fedshop_purchases.users_client import UsersClient

# Orders cancelled by the payment timeout, a batch per transaction (short locks).
TIMEOUT_BATCH = 20

PAID_AFTER_CANCELLATION = Counter(
    "fedshop_payments_after_cancellation",
    "Payments that succeeded for an order already cancelled (e.g. by the payment timeout): "
    "money taken for nothing, to refund by hand",
)

log = structlog.get_logger()


class OrdersService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        users: UsersClient,
        outbox_written: Callable[[], None],
        stock_changed: Callable[[], Awaitable[None]],
        announce: Callable[[uuid.UUID], Awaitable[None]],
        quotes: QuoteBook | None = None,
    ) -> None:
        self._sessions = sessions
        self._users = users
        self._outbox_written = outbox_written
        self._stock_changed = stock_changed  # the cached items show the counters
        self._announce = announce  # the live update of an order (subscriptions)
        self._quotes = quotes  # what crypto orders are priced at

    async def checkout(
        self,
        request: CheckoutRequest,
        idempotency_key: str | None = None,
        authorization: str | None = None,  # the buyer's, for the users service (access.py)
    ) -> OrderView:
        """Reserve every line's stock at once and place the order, awaiting payment, with its
        `order.placed` event. A repeat with the same key (from the same user) returns the first
        order."""
        check_key(idempotency_key)
        if idempotency_key and (earlier := await self._repeat(request, idempotency_key)):
            return earlier
        quote = await self._quote_for(request.payment)
        buyer = await self._users.buyer(request.user_id, authorization)
        try:
            async with transaction(self._sessions) as session:
                placed, stock_moved = await place_order(
                    session, request, buyer, idempotency_key, quote
                )
        except IntegrityError:
            # The same key committed by a concurrent request first: that order is the answer.
            if idempotency_key and (earlier := await self._repeat(request, idempotency_key)):
                return earlier
            raise
        self._outbox_written()
        if stock_moved:
            await self._stock_changed()
        log.info("order placed", order_id=str(placed.order.id), total=str(placed.order.total))
        return placed

    async def _quote_for(self, payment: PaymentDetails) -> Quote | None:
        """The quote a crypto order is priced at (refused, nothing written, when there is none)."""
        if payment.method != PaymentMethod.CRYPTO:
            return None
        if self._quotes is None:
            raise Unavailable("crypto payments are not configured here")
        return await self._quotes.latest(payment.symbol or "")

    async def _repeat(self, request: CheckoutRequest, key: str) -> OrderView | None:
        """The user's order placed earlier with this key, if any; it must be the same order."""
        async with self._sessions() as session:
            earlier = await repository.order_by_idempotency_key(session, request.user_id, key)
        if earlier is None:
            return None
        asked = {(line.item_id, line.quantity) for line in request.lines}
        placed = {(line.item_id, line.quantity) for line in earlier.lines}
        paid_as = PaymentDetails.model_validate(earlier.order.payment).as_asked()
        if asked != placed or paid_as != request.payment:
            raise IdempotencyKeyReused(key, "order")
        return earlier

    async def get_order(self, raw_id: object) -> OrderView:
        order_id = parse_uuid(raw_id)
        async with self._sessions() as session:
            found = await repository.orders_by_ids(session, [order_id]) if order_id else []
        if not found:
            raise NotFound(f"order {raw_id} not found")
        return found[0]

    async def page_of_user_orders(self, user_id: int, page: PageRequest) -> Page[OrderView]:
        """A user's orders, newest first, a page at a time."""
        async with self._sessions() as session:
            return await repository.page_of_user_orders(session, user_id, page)

    async def order_pages(self, keys: Sequence[tuple[int, PageRequest]]) -> list[Page[OrderView]]:
        """A page of each user's orders (the DataLoader's batch)."""

        async def load(user_ids: list[int], page: PageRequest) -> dict[int, Page[OrderView]]:
            async with self._sessions() as session:
                return await repository.order_pages(session, user_ids, page)

        return await pages_by_request(keys, load)

    async def settle_payment(self, payment: PaymentCompleted) -> bool:
        """The payment worker's outcome: an order awaiting payment is paid, or cancelled with its
        stock back. A repeat or a late outcome changes nothing (False). Unknown order: NotFound."""
        async with transaction(self._sessions) as session:
            view = await repository.order_for_update(session, payment.order_id)
            if view is None:
                raise NotFound(f"order {payment.order_id} not found")
            if view.order.status != OrderStatus.AWAITING_PAYMENT:
                _late_outcome(view, payment)
                return False
            stock_moved = False
            if payment.status == PaymentStatus.SUCCEEDED:
                settlement.pay(session, view)
            else:
                detail = payment.reason or "the payment was refused"
                stock_moved = await settlement.cancel(
                    session, view, OrderCancelReason.PAYMENT_FAILED, detail
                )
        log.info("order settled", order_id=str(view.order.id), status=view.order.status)
        await self._settled([view.order.id], stock_moved)
        return True

    async def cancel_overdue(self, timeout_seconds: float) -> int:
        """Cancel a batch of orders not paid within the timeout, their stock back; how many.
        Replicas never cancel one order twice: a locked row is skipped, not waited for."""
        async with transaction(self._sessions) as session:
            overdue = await repository.overdue_for_update(
                session, timedelta(seconds=timeout_seconds), TIMEOUT_BATCH
            )
            stock_moved = False
            for view in overdue:
                returned = await settlement.cancel(session, view, OrderCancelReason.PAYMENT_TIMEOUT)
                stock_moved = stock_moved or returned
        if overdue:
            log.info("unpaid orders cancelled", count=len(overdue))
            await self._settled([view.order.id for view in overdue], stock_moved)
        return len(overdue)

    async def _settled(self, order_ids: list[uuid.UUID], stock_moved: bool) -> None:
        self._outbox_written()
        if stock_moved:
            await self._stock_changed()
        for order_id in order_ids:
            await self._notify(order_id)

    async def record_email(self, email: OrderEmailSent) -> bool:
        """Store the order's email the worker reported; False for a repeat. Unknown order:
        NotFound."""
        async with transaction(self._sessions) as session:
            recorded = await repository.record_email(session, email)
        if not recorded:
            await self.get_order(email.order_id)
            return False
        log.info("order email recorded", order_id=str(email.order_id), kind=email.kind)
        await self._notify(email.order_id)
        return True

    async def _notify(self, order_id: uuid.UUID) -> None:
        # Committed already: a lost notification only delays subscribers to their next re-read.
        try:
            await self._announce(order_id)
        except (RedisError, OSError) as error:
            log.warning("order change not announced", order_id=str(order_id), error=repr(error))


def _late_outcome(view: OrderView, payment: PaymentCompleted) -> None:
    order = view.order
    context = {"order_id": str(order.id), "status": order.status, "payment": payment.status}
    if payment.status == PaymentStatus.SUCCEEDED and order.status == OrderStatus.CANCELLED:
        PAID_AFTER_CANCELLATION.inc()
        log.warning(
            "payment succeeded for an order already cancelled: refund it by hand",
            reason=order.reason,
            amount=str(payment.amount),
            **context,
        )
    else:
        log.info("payment outcome repeated or late: nothing to do", **context)
