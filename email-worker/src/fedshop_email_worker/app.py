"""Assembly: the email worker from the shared parts: consume purchase and order events, send,
report. It serves `/health` and `/metrics` only; the work comes from RabbitMQ."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fedshop_common.service import Parts, ServiceSpec, assemble

from fedshop_email_worker.queues import ORDERS_QUEUE, PURCHASES_QUEUE
from fedshop_email_worker.sending import EmailSender
from fedshop_email_worker.settings import EmailWorkerSettings
from fedshop_email_worker.worker import EmailDeliveries, OrderEmailHandler, PurchaseEmailHandler

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: EmailWorkerSettings | None = None) -> FastAPI:
    settings = settings or EmailWorkerSettings()
    sender = EmailSender(settings.smtp_url, settings.smtp_timeout_seconds, settings.email_from)

    @asynccontextmanager
    async def setup(parts: Parts, app: FastAPI) -> AsyncIterator[None]:
        sender.faults = parts.faults  # FAULT_SMTP_REFUSE_RATE
        # Two pooled connections kept for the batches of logged emails and the health check.
        smtp_at_once = max(1, settings.db_pool_size - 2)
        deliveries = EmailDeliveries(parts.sessions, parts.publisher, sender, smtp_at_once)
        parts.consume(PURCHASES_QUEUE, PurchaseEmailHandler(deliveries))
        parts.consume(ORDERS_QUEUE, OrderEmailHandler(deliveries))
        yield

    return assemble(
        ServiceSpec(
            "email-worker",
            settings,
            MIGRATIONS,
            setup,
            title="fedshop email worker",
            # With nothing to cover for the broker, the worker is not ready without it.
            broker_required=True,
            uses_cache=False,
            # SMTP down: emails wait and are retried; the worker itself is fine.
            optional_checks={"smtp": sender.check} if sender.uses_smtp else {},
        )
    )
