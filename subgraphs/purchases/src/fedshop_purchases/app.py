"""Assembly: database, Redis, broker, the outbox relay, the email-status consumer, routes."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from fastapi import FastAPI
from fedshop_common.amqp import Broker
from fedshop_common.database import create_database_engine, create_session_factory, migrate
from fedshop_common.logging import configure_logging
from fedshop_common.web import add_health_route, broker_check, database_check
from redis.asyncio import Redis
from starlette.requests import HTTPConnection
from strawberry.fastapi import GraphQLRouter

from fedshop_purchases.events import EMAIL_STATUS_QUEUE, email_status_handler
from fedshop_purchases.live import PurchaseChanges
from fedshop_purchases.outbox import OutboxRelay
from fedshop_purchases.rest import router as rest_router
from fedshop_purchases.schema import Context, schema
from fedshop_purchases.service import PurchasesService
from fedshop_purchases.settings import PurchasesSettings
from fedshop_purchases.users_client import UsersClient

MIGRATIONS = Path(__file__).parent / "migrations"
REDIS_TIMEOUT_SECONDS = 1.0


def create_app(settings: PurchasesSettings | None = None) -> FastAPI:
    settings = settings or PurchasesSettings()
    configure_logging("purchases", settings.log_level)
    engine = create_database_engine(settings.database_url)
    redis = Redis.from_url(settings.redis_url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(migrate, settings.database_url, MIGRATIONS)
        sessions = create_session_factory(engine)
        broker = await Broker.connect(settings.amqp_url, settings.namespace)
        relay = OutboxRelay(sessions, broker, settings.outbox_poll_seconds)
        users = UsersClient(settings.users_url, settings.users_timeout_seconds)
        app.state.purchases = PurchasesService(sessions, users, outbox_written=relay.wake)
        app.state.changes = PurchaseChanges(redis, settings.namespace)
        relay_task = asyncio.create_task(relay.run(), name="outbox-relay")
        await broker.consume(
            EMAIL_STATUS_QUEUE, email_status_handler(app.state.purchases, app.state.changes)
        )
        app.state.broker = broker
        yield
        relay_task.cancel()
        with suppress(asyncio.CancelledError):
            await relay_task
        await broker.close()
        await users.close()
        await redis.aclose()
        await engine.dispose()

    app = FastAPI(title="fedshop purchases", lifespan=lifespan)
    app.include_router(rest_router)

    async def graphql_context(connection: HTTPConnection) -> Context:
        return Context(connection.app.state.purchases, connection.app.state.changes)

    app.include_router(GraphQLRouter(schema, context_getter=graphql_context), prefix="/graphql")

    async def redis_check() -> None:
        await redis.ping()

    add_health_route(
        app,
        {
            "database": database_check(engine),
            "broker": broker_check(lambda: app.state.broker),
            "redis": redis_check,
        },
    )
    return app
