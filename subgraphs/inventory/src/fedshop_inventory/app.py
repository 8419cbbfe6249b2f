"""Assembly: the inventory service from the shared parts, its use cases and its doors."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fedshop_common.service import GraphQLDoor, Parts, ServiceSpec, assemble
from starlette.requests import HTTPConnection

from fedshop_inventory.access import add_access
from fedshop_inventory.queues import SALES_QUEUE
from fedshop_inventory.rest import router as rest_router
from fedshop_inventory.sales import sales_handler
from fedshop_inventory.schema import Context, schema
from fedshop_inventory.service import InventoryService
from fedshop_inventory.settings import InventorySettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: InventorySettings | None = None) -> FastAPI:
    settings = settings or InventorySettings()

    @asynccontextmanager
    async def setup(parts: Parts, app: FastAPI) -> AsyncIterator[None]:
        relay = parts.relay_outbox(settings.outbox_poll_seconds)
        app.state.inventory = InventoryService(parts.sessions, outbox_written=relay.wake)
        parts.consume(SALES_QUEUE, sales_handler(app.state.inventory))
        yield
        await close_access()

    async def graphql_context(connection: HTTPConnection) -> Context:
        return Context(connection.app.state.inventory)

    app = assemble(
        ServiceSpec(
            "inventory",
            settings,
            MIGRATIONS,
            setup,
            title="fedshop inventory",
            description="The warehouse: items, prices, stock on hand; admin writes; item events.",
            routers=[rest_router],
            graphql=GraphQLDoor(schema, graphql_context),
            uses_cache=False,
        )
    )
    close_access = add_access(app, settings)
    return app
