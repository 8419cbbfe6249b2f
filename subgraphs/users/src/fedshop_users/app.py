"""Assembly: the users service from the shared parts, its use cases and its doors."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fedshop_common.service import GraphQLDoor, Parts, ServiceSpec, assemble

from fedshop_users.rest import router as rest_router
from fedshop_users.schema import Context, schema
from fedshop_users.service import UsersService
from fedshop_users.settings import UsersSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: UsersSettings | None = None) -> FastAPI:
    settings = settings or UsersSettings()

    @asynccontextmanager
    async def setup(parts: Parts, app: FastAPI) -> AsyncIterator[None]:
        app.state.users = UsersService(parts.sessions, parts.cache)
        yield

    async def graphql_context(request: Request) -> Context:
        return Context(request.app.state.users)

    return assemble(
        ServiceSpec(
            "users",
            settings,
            MIGRATIONS,
            setup,
            title="fedshop users",
            description="Users of the shop: REST routes and the `users` GraphQL subgraph.",
            routers=[rest_router],
            graphql=GraphQLDoor(schema, graphql_context),
            uses_broker=False,
        )
    )
