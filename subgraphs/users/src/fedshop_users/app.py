"""Assembly: the users service from the shared parts, its use cases, identity and its doors."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fedshop_common.service import GraphQLDoor, Parts, ServiceSpec, assemble

from fedshop_users.auth.assembly import add_identity
from fedshop_users.auth.rest import router as identity_router
from fedshop_users.rest import router as rest_router
from fedshop_users.schema import Context, schema
from fedshop_users.service import UsersService
from fedshop_users.settings import UsersSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: UsersSettings | None = None) -> FastAPI:
    settings = settings or UsersSettings()

    @asynccontextmanager
    async def setup(parts: Parts, app: FastAPI) -> AsyncIterator[None]:
        creation_limit = settings.user_creation_limit if settings.per_client_limits else None
        app.state.users = UsersService(
            parts.sessions, parts.cache, app.state.throttle, creation_limit
        )
        await ensure_admin()
        yield

    async def graphql_context(request: Request) -> Context:
        return Context(request.app.state.users)

    app = assemble(
        ServiceSpec(
            "users",
            settings,
            MIGRATIONS,
            setup,
            title="fedshop users",
            description="Users of the shop: REST routes and the `users` GraphQL subgraph.",
            # Identity first: `/users/me` must not be taken for `/users/{user_id}`.
            routers=[identity_router, rest_router],
            graphql=GraphQLDoor(schema, graphql_context),
            uses_broker=False,
        )
    )
    # The signing key and the admin password are checked here, before anything listens.
    ensure_admin = add_identity(app, settings, app.state.parts.sessions, app.state.parts.cache)
    return app
