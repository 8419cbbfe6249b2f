"""Handles one purchase or order event: exactly one email each, reserved, sent, recorded,
reported.

1. reserve: the rendered email is stored in state `reserved` (a no-op when the purchase, or the
   order, has one);
2. send: under a row lock, an email not yet `sent` goes to SMTP, then is recorded as `sent` in
   the same transaction. A duplicate delivery waits for the lock and then sends nothing; a failed
   send rolls back to `reserved` and is retried. Only a crash (or a lost commit) after SMTP
   accepted the email and before the commit can send it once more, with the same Message-ID;
3. report: `email.sent` (a purchase's) or `email.order_sent` (an order's) is published from the
   stored row, after the commit, on every delivery.
"""

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from aio_pika.abc import AbstractIncomingMessage
from fedshop_common.batching import MicroBatcher
from fedshop_common.database import transaction
from fedshop_common.events import (
    EmailDelivery,
    EmailSent,
    Event,
    OrderEmailSent,
    OrderSettled,
    OrderStatus,
    PurchaseCompleted,
)
from fedshop_common.messaging import PoisonMessage, Publisher, parse_event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_email_worker import repository
from fedshop_email_worker.models import (
    NO_ADDRESS,
    RESERVED,
    SENT,
    OrderEmail,
    PurchaseEmail,
    StoredEmail,
)
from fedshop_email_worker.rendering import RenderedEmail, render_email, render_order_email
from fedshop_email_worker.sending import EmailSender

# At most this many emails in one transaction (the consumer's prefetch bounds it too), gathered
# for at most this long: the messages of a prefetch window arrive spread out, each as an ack
# frees its slot, and 2 ms gathered 1.4 emails a batch where 10 ms gathers most of the window.
BATCH_SIZE = 100
BATCH_LINGER_SECONDS = 0.01


class EmailDeliveries:
    """The one way an email leaves: reserved once, sent once under its row's lock, reported."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        publisher: Publisher,
        sender: EmailSender,
        smtp_at_once: int = 4,
    ) -> None:
        self._sessions = sessions
        self._publisher = publisher
        self._sender = sender
        # Each SMTP send holds a pooled connection (its row lock) for as long as SMTP takes: the
        # rest of the prefetch window waits here rather than for the pool, which times out.
        self._smtp_slots = asyncio.Semaphore(smtp_at_once)
        # Emails only logged, or to nobody: those in hand are recorded in one transaction.
        self._in_one_transaction = MicroBatcher(
            self._record_at_once, max_size=BATCH_SIZE, linger_seconds=BATCH_LINGER_SECONDS
        )

    async def deliver(self, reserved: StoredEmail) -> StoredEmail:
        """Send `reserved` unless what it is about already has its email; return the stored one.

        To SMTP, the reservation is committed first, so that a send that fails leaves the email
        `reserved` on record for the retry. Logged, or to nobody, nothing outside can fail: the
        reservation and the record are one transaction, shared by the emails in hand (a batch
        that fails is tried again one email at a time, so one bad email fails alone)."""
        if self._sender.uses_smtp and reserved.recipient:
            return await self._send_to_smtp(reserved)
        try:
            return await self._in_one_transaction.submit(reserved)
        except Exception:
            [stored] = await self._record_at_once([reserved])
            return stored

    async def _send_to_smtp(self, reserved: StoredEmail) -> StoredEmail:
        async with self._smtp_slots:
            async with transaction(self._sessions) as session:
                await repository.reserve_all(session, [reserved])
            async with transaction(self._sessions) as session:
                [email] = await self._hand_over_locked(session, [reserved])
        return email

    async def _record_at_once(self, emails: Sequence[StoredEmail]) -> list[StoredEmail]:
        async with transaction(self._sessions) as session:
            await repository.reserve_all(session, emails)
            return await self._hand_over_locked(session, emails)

    async def _hand_over_locked(
        self, session: AsyncSession, emails: Sequence[StoredEmail]
    ) -> list[StoredEmail]:
        """Lock the stored emails, hand over those still reserved and record how it went; the
        stored ones, in the order of `emails`."""
        locked = await repository.lock_all(session, emails)
        handed = [email for email in locked.values() if email.state == RESERVED]
        for email in handed:
            await self._hand_over(email)
        await repository.record_all(session, handed)
        return [locked[(type(email), email.key)] for email in emails]

    async def _hand_over(self, email: StoredEmail) -> None:
        """Send a reserved email (or log it), or record that it has no recipient."""
        if not email.recipient:
            # A user without an address: recorded as such, nothing goes to SMTP.
            email.state = NO_ADDRESS
            email.sent_at = datetime.now(UTC)
            return
        delivery = await self._sender.send(email)
        email.state = SENT
        email.sent_at = datetime.now(UTC)
        email.message_id = delivery.message_id
        email.smtp_response = delivery.smtp_response

    async def report(self, report: Event) -> None:
        # Repeated on a redelivery; the purchases service ignores a report it already has.
        await self._publisher.publish(
            report.routing_key, report.model_dump_json().encode(), str(report.event_id)
        )


def _fields(rendered: RenderedEmail) -> dict:
    return {
        "kind": rendered.kind,
        "recipient": rendered.recipient,
        "subject": rendered.subject,
        "body": rendered.text,
        "html_body": rendered.html,
        "reserved_at": datetime.now(UTC),
    }


def _delivery(email: StoredEmail) -> EmailDelivery:
    return EmailDelivery.NO_ADDRESS if email.state == NO_ADDRESS else EmailDelivery.SENT


class PurchaseEmailHandler:
    """`purchase.*`: the purchase's confirmation or rejection, then `email.sent`."""

    def __init__(self, deliveries: EmailDeliveries) -> None:
        self._deliveries = deliveries

    async def __call__(self, message: AbstractIncomingMessage) -> None:
        event = parse_event(message, PurchaseCompleted)
        email = await self._deliveries.deliver(
            PurchaseEmail(purchase_id=event.purchase_id, **_fields(render_email(event)))
        )
        await self._deliveries.report(
            EmailSent(
                purchase_id=event.purchase_id,
                kind=email.kind,
                recipient=email.recipient,
                subject=email.subject,
                sent_at=email.sent_at,
                delivery=_delivery(email),
            )
        )


class OrderEmailHandler:
    """`order.paid` / `order.cancelled`: the order's confirmation or cancellation, then
    `email.order_sent`."""

    def __init__(self, deliveries: EmailDeliveries) -> None:
        self._deliveries = deliveries

    async def __call__(self, message: AbstractIncomingMessage) -> None:
        event = parse_event(message, OrderSettled)
        if event.status not in (OrderStatus.PAID, OrderStatus.CANCELLED):
            raise PoisonMessage(f"an order {event.status} is not settled: no email for it")
        email = await self._deliveries.deliver(
            OrderEmail(order_id=event.order_id, **_fields(render_order_email(event)))
        )
        await self._deliveries.report(
            OrderEmailSent(
                order_id=event.order_id,
                kind=email.kind,
                recipient=email.recipient,
                subject=email.subject,
                sent_at=email.sent_at,
                delivery=_delivery(email),
            )
        )
