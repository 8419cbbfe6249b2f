"""Assembly: settings, database, cache, routes, the GraphQL endpoint and `/health`."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fedshop_common.cache import Cache, connect_redis
from fedshop_common.database import create_database_engine, create_session_factory, migrate
from fedshop_common.logging import configure_logging
from fedshop_common.router_trust import RequireRouterSecret
from fedshop_common.web import (
    add_health_route,
    add_request_validation_handler,
    database_check,
)
from strawberry.fastapi import GraphQLRouter

from fedshop_users.auth.assembly import add_identity
from fedshop_users.rest import router as rest_router
from fedshop_users.schema import Context, schema
from fedshop_users.service import UsersService
from fedshop_users.settings import UsersSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: UsersSettings | None = None) -> FastAPI:
    settings = settings or UsersSettings()
    configure_logging("users", settings.log_level)
    engine = create_database_engine(settings.database_url)
    redis = connect_redis(settings.redis_url, settings.redis_timeout_seconds)
    cache = Cache(redis, f"{settings.namespace}fedshop", settings.cache_ttl_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(migrate, settings.database_url, MIGRATIONS)
        creation_limit = settings.user_creation_limit if settings.per_client_limits else None
        sessions = create_session_factory(engine)
        app.state.users = UsersService(sessions, cache, app.state.throttle, creation_limit)
        await ensure_admin()
        yield
        await redis.aclose()
        await engine.dispose()

    app = FastAPI(
        title="fedshop users",
        description="Users of the shop: REST routes and the `users` GraphQL subgraph.",
        lifespan=lifespan,
    )
    app.state.engine = engine
    add_request_validation_handler(app)
    # Before the REST routes: `/users/me` must not be taken for `/users/{user_id}`.
    ensure_admin = add_identity(app, settings, engine, cache)
    app.include_router(rest_router)

    async def graphql_context(request: Request) -> Context:
        return Context(request.app.state.users)

    # GraphQL is described by its schema, not by OpenAPI: /docs lists the REST routes only.
    app.include_router(
        GraphQLRouter(schema, context_getter=graphql_context),
        prefix="/graphql",
        include_in_schema=False,
    )
    app.add_middleware(RequireRouterSecret, secret=settings.router_shared_secret)
    add_health_route(app, {"database": database_check(engine)}, optional={"cache": cache.check})
    return app
