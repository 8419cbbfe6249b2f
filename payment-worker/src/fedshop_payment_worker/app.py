"""Assembly: the payment worker from the shared parts: consume placed orders, pay each once,
report the outcome through its outbox. It serves `/health` and `/metrics` only; the work comes
from RabbitMQ, and only the broker joins it to the shop."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fedshop_common.service import Parts, ServiceSpec, assemble

from fedshop_payment_worker.ledger import Ledger
from fedshop_payment_worker.queues import ORDERS_QUEUE
from fedshop_payment_worker.rules import PaymentRules
from fedshop_payment_worker.settings import PaymentWorkerSettings
from fedshop_payment_worker.worker import OrderPaymentHandler

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: PaymentWorkerSettings | None = None) -> FastAPI:
    settings = settings or PaymentWorkerSettings()

    @asynccontextmanager
    async def setup(parts: Parts, app: FastAPI) -> AsyncIterator[None]:
        relay = parts.relay_outbox(settings.outbox_poll_seconds)
        rules = PaymentRules.from_settings(settings, parts.faults)  # FAULT_PAYMENTS_DECLINE_RATE
        ledger = Ledger(settings.ledger_url, settings.ledger_timeout_seconds)
        parts.consume(ORDERS_QUEUE, OrderPaymentHandler(parts.sessions, rules, ledger, relay.wake))
        yield
        await ledger.close()

    return assemble(
        ServiceSpec(
            "payment-worker",
            settings,
            MIGRATIONS,
            setup,
            title="fedshop payment worker",
            # Its work only comes from the broker: without it, the worker is not ready.
            broker_required=True,
            uses_cache=False,
        )
    )
