"""Assembly: database, cache, the users client, messaging in the background, routes."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from fastapi import FastAPI
from fedshop_common.cache import Cache, connect_redis
from fedshop_common.database import create_database_engine, create_session_factory, migrate
from fedshop_common.logging import configure_logging
from fedshop_common.router_trust import RequireRouterSecret
from fedshop_common.web import (
    add_health_route,
    add_request_validation_handler,
    broker_check,
    database_check,
)
from starlette.requests import HTTPConnection
from strawberry.fastapi import GraphQLRouter

from fedshop_purchases.access import add_access
from fedshop_purchases.live import PurchaseChanges
from fedshop_purchases.messaging import Messaging
from fedshop_purchases.outbox import OutboxRelay
from fedshop_purchases.rest import router as rest_router
from fedshop_purchases.schema import Context, schema
from fedshop_purchases.service import PurchasesService
from fedshop_purchases.settings import PurchasesSettings
from fedshop_purchases.users_client import UsersClient

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: PurchasesSettings | None = None) -> FastAPI:
    settings = settings or PurchasesSettings()
    configure_logging("purchases", settings.log_level)
    engine = create_database_engine(settings.database_url)
    redis = connect_redis(settings.redis_url, settings.redis_timeout_seconds)
    prefix = f"{settings.namespace}fedshop"
    cache = Cache(redis, prefix, settings.cache_ttl_seconds)
    sessions = create_session_factory(engine)
    relay = OutboxRelay(sessions, settings.outbox_poll_seconds)
    messaging = Messaging(settings.amqp_url, settings.namespace, relay)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(migrate, settings.database_url, MIGRATIONS)
        users = UsersClient(
            settings.users_url,
            settings.users_timeout_seconds,
            Cache(redis, prefix, settings.user_lookup_ttl_seconds),
        )
        app.state.purchases = PurchasesService(sessions, users, cache, outbox_written=relay.wake)
        app.state.changes = PurchaseChanges(redis, settings.namespace)
        messaging_task = asyncio.create_task(
            messaging.run(app.state.purchases, app.state.changes), name="messaging"
        )
        yield
        messaging_task.cancel()
        with suppress(asyncio.CancelledError):
            await messaging_task
        await messaging.close()
        await users.close()
        await close_access()
        await redis.aclose()
        await engine.dispose()

    app = FastAPI(
        title="fedshop purchases",
        description="Items and purchases: REST routes and the `purchases` GraphQL subgraph.",
        lifespan=lifespan,
    )
    app.state.engine = engine
    add_request_validation_handler(app)
    app.state.messaging = messaging
    close_access = add_access(app, settings)
    app.include_router(rest_router)

    async def graphql_context(connection: HTTPConnection) -> Context:
        return Context(connection.app.state.purchases, connection.app.state.changes)

    # GraphQL is described by its schema, not by OpenAPI: /docs lists the REST routes only.
    app.include_router(
        GraphQLRouter(schema, context_getter=graphql_context),
        prefix="/graphql",
        include_in_schema=False,
    )
    app.add_middleware(RequireRouterSecret, secret=settings.router_shared_secret)
    add_health_route(
        app,
        {"database": database_check(engine), "broker": broker_check(messaging.connected_broker)},
        optional={"cache": cache.check},
    )
    return app
