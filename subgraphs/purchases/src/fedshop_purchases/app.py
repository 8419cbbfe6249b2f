"""Assembly: the purchases service from the shared parts, its use cases and its doors."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fedshop_common.cache import Cache
from fedshop_common.service import GraphQLDoor, Parts, ServiceSpec, assemble
from starlette.requests import HTTPConnection

from fedshop_purchases.access import add_access
from fedshop_purchases.catalog.consumer import CatalogCopy, catalog_handler
from fedshop_purchases.crypto.ledger import DemoLedger
from fedshop_purchases.crypto.prices import CryptoPrices
from fedshop_purchases.crypto.quotes import QuoteBook, QuoteSource, keep_quotes_fresh
from fedshop_purchases.events import email_status_handler
from fedshop_purchases.live import LiveChanges
from fedshop_purchases.orders.payments import payments_handler
from fedshop_purchases.orders.rest import router as orders_router
from fedshop_purchases.orders.service import OrdersService
from fedshop_purchases.orders.timeout import payment_timeout_task
from fedshop_purchases.queues import CATALOG_QUEUE, EMAIL_STATUS_QUEUE, PAYMENTS_QUEUE
from fedshop_purchases.rest import router as rest_router
from fedshop_purchases.sale.rest import router as sale_router
from fedshop_purchases.sale.service import SalesService
from fedshop_purchases.sale.tokens import SaleTokens, signing_secret
from fedshop_purchases.schema import Context, schema
from fedshop_purchases.service import PurchasesService
from fedshop_purchases.settings import PurchasesSettings
from fedshop_purchases.users_client import UsersClient

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: PurchasesSettings | None = None) -> FastAPI:
    settings = settings or PurchasesSettings()
    sale_tokens = SaleTokens(signing_secret(settings.sale_token_secret, settings.is_dev))

    @asynccontextmanager
    async def setup(parts: Parts, app: FastAPI) -> AsyncIterator[None]:
        lookups = Cache(
            parts.redis, f"{settings.namespace}fedshop", settings.user_lookup_ttl_seconds
        )
        users = UsersClient(settings.users_url, settings.users_timeout_seconds, lookups)
        relay = parts.relay_outbox(settings.outbox_poll_seconds)
        app.state.purchases = PurchasesService(
            parts.sessions, users, parts.cache, outbox_written=relay.wake
        )
        changes = app.state.changes = LiveChanges(parts.redis, settings.namespace)
        symbols = settings.symbols
        quotes = QuoteBook(parts.redis, settings.namespace, symbols, settings.quotes_daily_limit)
        source = QuoteSource(settings.quotes_url, settings.quotes_key, symbols)
        parts.run_in_background("quotes", lambda: keep_quotes_fresh(quotes, source))
        app.state.crypto = CryptoPrices(quotes, settings.addresses)
        app.state.ledger = DemoLedger(
            settings.ledger_url, settings.addresses, settings.demo_transactions_on
        )
        orders = app.state.orders = OrdersService(
            parts.sessions,
            users,
            outbox_written=relay.wake,
            stock_changed=app.state.purchases.forget_items,
            announce=lambda order_id: changes.announce(order_id, "order"),
            quotes=quotes,
        )
        app.state.sales = SalesService(
            parts.sessions,
            users,
            sale_tokens,
            settings.sale_queue_capacity,
            outbox_written=relay.wake,
            stock_changed=app.state.purchases.forget_items,
            announce=changes.announce,
        )
        # Wide: the reports in hand are stored a batch per statement (PurchasesService).
        parts.consume(
            EMAIL_STATUS_QUEUE,
            email_status_handler(app.state.purchases, orders, changes),
            prefetch=50,
        )
        parts.consume(PAYMENTS_QUEUE, payments_handler(orders))
        parts.run_in_background(
            "payment-timeout", payment_timeout_task(orders, settings.payment_timeout)
        )
        copy = CatalogCopy(parts.sessions, app.state.purchases.forget_item)
        parts.consume(CATALOG_QUEUE, catalog_handler(copy))
        yield
        await app.state.changes.close()
        await users.close()
        await close_access()

    async def graphql_context(connection: HTTPConnection) -> Context:
        state = connection.app.state
        return Context(state.purchases, state.orders, state.changes)

    app = assemble(
        ServiceSpec(
            "purchases",
            settings,
            MIGRATIONS,
            setup,
            title="fedshop purchases",
            description="Items, purchases, orders and the flash sale: REST routes and the "
            "`purchases` GraphQL subgraph.",
            routers=[rest_router, orders_router, sale_router],
            graphql=GraphQLDoor(schema, graphql_context),
        )
    )
    close_access = add_access(app, settings)
    return app
