"""Handles one purchase event: one email per purchase, recorded, sent, then reported."""

from datetime import UTC, datetime

import structlog
from aio_pika.abc import AbstractIncomingMessage
from fedshop_common.amqp import Broker, parse_event
from fedshop_common.database import transaction
from fedshop_common.events import EmailSent, PurchaseCompleted
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_email_worker import repository
from fedshop_email_worker.models import Email
from fedshop_email_worker.rendering import render_email

PURCHASES_QUEUE = "email-worker.purchases"

log = structlog.get_logger()


class PurchaseEmailHandler:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], broker: Broker) -> None:
        self._sessions = sessions
        self._broker = broker

    async def __call__(self, message: AbstractIncomingMessage) -> None:
        event = parse_event(message, PurchaseCompleted)
        rendered = render_email(event)
        async with transaction(self._sessions) as session:
            email = Email(
                purchase_id=event.purchase_id,
                kind=rendered.kind,
                recipient=rendered.recipient,
                subject=rendered.subject,
                body=rendered.body,
                sent_at=datetime.now(UTC),
            )
            if await repository.reserve(session, email):
                self._send(email)
            else:  # a redelivery: nothing new is sent, but the report is repeated below
                email = await repository.get(session, event.purchase_id)
        # Reported after the commit; the purchases service ignores a repeated report.
        report = EmailSent(
            purchase_id=email.purchase_id,
            kind=email.kind,
            recipient=email.recipient,
            subject=email.subject,
            sent_at=email.sent_at,
        )
        await self._broker.publish(
            report.routing_key, report.model_dump_json().encode(), str(report.event_id)
        )

    def _send(self, email: Email) -> None:
        # SMTP delivery arrives with its own issue; until then the log is the mailbox.
        log.info(
            "email sent",
            purchase_id=str(email.purchase_id),
            kind=email.kind,
            recipient=email.recipient,
            subject=email.subject,
        )
