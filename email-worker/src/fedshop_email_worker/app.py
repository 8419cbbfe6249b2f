"""Assembly: migrate, connect, consume purchase events; `/health` and `/metrics` on the side."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Response
from fedshop_common.amqp import Broker
from fedshop_common.database import create_database_engine, create_session_factory, migrate
from fedshop_common.logging import configure_logging
from fedshop_common.web import add_health_route, broker_check, database_check
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from fedshop_email_worker.sending import EmailSender
from fedshop_email_worker.settings import EmailWorkerSettings
from fedshop_email_worker.worker import PURCHASES_QUEUE, PurchaseEmailHandler

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: EmailWorkerSettings | None = None) -> FastAPI:
    settings = settings or EmailWorkerSettings()
    configure_logging("email-worker", settings.log_level)
    engine = create_database_engine(settings.database_url)
    sender = EmailSender(settings.smtp_url, settings.smtp_timeout_seconds, settings.email_from)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(migrate, settings.database_url, MIGRATIONS)
        broker = await Broker.connect(settings.amqp_url, settings.namespace)
        app.state.broker = broker
        handler = PurchaseEmailHandler(create_session_factory(engine), broker, sender)
        await broker.consume(
            PURCHASES_QUEUE, handler, prefetch=settings.prefetch, retry=settings.retry_policy
        )
        yield
        # On SIGTERM uvicorn gets here: stop consuming, finish the emails in hand, then close.
        await broker.close()
        await engine.dispose()

    app = FastAPI(title="fedshop email worker", lifespan=lifespan)

    checks = {"database": database_check(engine), "broker": broker_check(lambda: app.state.broker)}
    if sender.uses_smtp:
        checks["smtp"] = sender.check
    add_health_route(app, checks)

    @app.get("/metrics", tags=["health"])
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app
