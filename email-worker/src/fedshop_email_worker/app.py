"""Assembly: migrate, connect, consume purchase events; `/health` on the side."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fedshop_common.amqp import Broker
from fedshop_common.database import create_database_engine, create_session_factory, migrate
from fedshop_common.logging import configure_logging
from fedshop_common.web import add_health_route, broker_check, database_check

from fedshop_email_worker.settings import EmailWorkerSettings
from fedshop_email_worker.worker import PURCHASES_QUEUE, PurchaseEmailHandler

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: EmailWorkerSettings | None = None) -> FastAPI:
    settings = settings or EmailWorkerSettings()
    configure_logging("email-worker", settings.log_level)
    engine = create_database_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(migrate, settings.database_url, MIGRATIONS)
        broker = await Broker.connect(settings.amqp_url, settings.namespace)
        app.state.broker = broker
        handler = PurchaseEmailHandler(create_session_factory(engine), broker)
        await broker.consume(PURCHASES_QUEUE, handler, prefetch=settings.prefetch)
        yield
        await broker.close()
        await engine.dispose()

    app = FastAPI(title="fedshop email worker", lifespan=lifespan)

    add_health_route(
        app, {"database": database_check(engine), "broker": broker_check(lambda: app.state.broker)}
    )
    return app
