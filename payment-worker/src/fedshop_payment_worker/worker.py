"""Handles one `order.placed`: the order is paid for once, whatever the redeliveries.

In one transaction: an order that already has its payment adds nothing; otherwise the rules
decide, and the payment and its outcome event (`payment.succeeded` / `payment.failed`) are
written together to the payments table and the outbox. The consumer acks after the commit; the
relay publishes the event with confirms. A crash before the commit leaves nothing behind and the
message comes back; after it, the redelivery finds the payment.
"""

from collections.abc import Callable
from datetime import UTC, datetime

import structlog
from aio_pika.abc import AbstractIncomingMessage
from fedshop_common.database import transaction
from fedshop_common.events import OrderPlaced, PaymentCompleted, PaymentMethod, PaymentStatus
from fedshop_common.messaging import parse_event
from fedshop_common.outbox import add_event
from prometheus_client import Counter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_payment_worker import repository
from fedshop_payment_worker.ledger import Ledger, LedgerTransaction
from fedshop_payment_worker.models import Payment
from fedshop_payment_worker.rules import TRANSACTION_USED, PaymentRules

PAYMENTS = Counter("fedshop_payments", "Orders paid for, by outcome", ["status"])

log = structlog.get_logger()


class OrderPaymentHandler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        rules: PaymentRules,
        ledger: Ledger,
        outbox_written: Callable[[], None],
    ) -> None:
        self._sessions = sessions
        self._rules = rules
        self._ledger = ledger
        self._outbox_written = outbox_written

    async def __call__(self, message: AbstractIncomingMessage) -> None:
        order = parse_event(message, OrderPlaced)
        # Looked up before the transaction (no lock held over a network call). No answer from
        # the ledger raises: the message is retried, the order is not failed for it.
        found = None
        if order.payment.method == PaymentMethod.CRYPTO and order.payment.tx_hash:
            found = await self._ledger.find(order.payment.tx_hash)
        payment = await self._record(order, found)
        if payment is None:
            log.info("order already paid for: nothing added", order_id=str(order.order_id))
            return
        self._outbox_written()
        PAYMENTS.labels(payment.status).inc()
        if payment.status == PaymentStatus.SUCCEEDED:
            # The total as the event carries it (a JSON number: 59.97).
            total = order.model_dump(mode="json")["total"]
            log.info(
                f"payment of {total} for user {order.user.id} went through",
                order_id=str(order.order_id),
                payment_id=str(payment.id),
            )
        else:
            log.info(
                "payment failed",
                reason=payment.reason,
                order_id=str(order.order_id),
                user_id=order.user.id,
            )

    async def _record(self, order: OrderPlaced, found: LedgerTransaction | None) -> Payment | None:
        """The order's new payment and its outcome event, committed; None when it had one."""
        async with transaction(self._sessions) as session:
            if await repository.payment_of(session, order.order_id) is not None:
                return None
            payment = self._pay(order, found)
            if (
                payment.tx_hash
                and payment.status == PaymentStatus.SUCCEEDED
                and await repository.transaction_used(session, payment.tx_hash)
            ):
                payment.status, payment.reason = PaymentStatus.FAILED, TRANSACTION_USED
            if not await repository.record_once(session, payment):
                return None  # a concurrent delivery of the same order recorded it first
            add_event(
                session,
                PaymentCompleted(
                    payment_id=payment.id,
                    order_id=payment.order_id,
                    status=payment.status,
                    amount=payment.amount,
                    reason=payment.reason,
                ),
            )
        return payment

    def _pay(self, order: OrderPlaced, found: LedgerTransaction | None) -> Payment:
        outcome = self._rules.decide(order.payment, order.total, found, order.occurred_at)
        return Payment(
            order_id=order.order_id,
            user_id=order.user.id,
            amount=order.total,
            method=order.payment.method,
            status=outcome.status,
            reason=outcome.reason,
            tx_hash=order.payment.tx_hash if order.payment.method == PaymentMethod.CRYPTO else None,
            created_at=datetime.now(UTC),
        )
