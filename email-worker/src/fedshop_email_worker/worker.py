"""Handles one purchase event: exactly one email per purchase, reserved, sent, recorded, reported.

1. reserve: the rendered email is stored in state `reserved` (a no-op when the purchase has one);
2. send: under a row lock, an email not yet `sent` goes to SMTP, then is recorded as `sent` in
   the same transaction. A duplicate delivery waits for the lock and then sends nothing; a failed
   send rolls back to `reserved` and is retried. Only a crash (or a lost commit) after SMTP
   accepted the email and before the commit can send it once more, with the same Message-ID;
3. report: `email.sent` is published from the stored row, after the commit, on every delivery.
"""

from datetime import UTC, datetime

from aio_pika.abc import AbstractIncomingMessage
from fedshop_common.database import transaction
from fedshop_common.events import EmailDelivery, EmailSent, PurchaseCompleted
from fedshop_common.messaging import Publisher, parse_event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_email_worker import repository
from fedshop_email_worker.models import NO_ADDRESS, RESERVED, SENT, Email
from fedshop_email_worker.rendering import render_email
from fedshop_email_worker.sending import EmailSender


class PurchaseEmailHandler:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], publisher: Publisher, sender: EmailSender
    ) -> None:
        self._sessions = sessions
        self._publisher = publisher
        self._sender = sender

    async def __call__(self, message: AbstractIncomingMessage) -> None:
        event = parse_event(message, PurchaseCompleted)
        rendered = render_email(event)
        async with transaction(self._sessions) as session:
            await repository.reserve(
                session,
                Email(
                    purchase_id=event.purchase_id,
                    kind=rendered.kind,
                    recipient=rendered.recipient,
                    subject=rendered.subject,
                    body=rendered.text,
                    html_body=rendered.html,
                    reserved_at=datetime.now(UTC),
                ),
            )
        async with transaction(self._sessions) as session:
            email = await repository.lock(session, event.purchase_id)
            if email.state == RESERVED and not email.recipient:
                # A user without an address: recorded as such, nothing goes to SMTP.
                email.state = NO_ADDRESS
                email.sent_at = datetime.now(UTC)
            elif email.state == RESERVED:
                delivery = await self._sender.send(email)
                email.state = SENT
                email.sent_at = datetime.now(UTC)
                email.message_id = delivery.message_id
                email.smtp_response = delivery.smtp_response
        await self._report(email)

    async def _report(self, email: Email) -> None:
        # Repeated on a redelivery; the purchases service ignores a report it already has.
        report = EmailSent(
            purchase_id=email.purchase_id,
            kind=email.kind,
            recipient=email.recipient,
            subject=email.subject,
            sent_at=email.sent_at,
            delivery=EmailDelivery.NO_ADDRESS if email.state == NO_ADDRESS else EmailDelivery.SENT,
        )
        await self._publisher.publish(
            report.routing_key, report.model_dump_json().encode(), str(report.event_id)
        )
