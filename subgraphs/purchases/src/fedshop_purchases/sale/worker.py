"""The sale worker, `fedshop-sale-worker`: its own process, assembled from the shared parts.
It consumes `sale-worker.queue` (one `sale.entered` per queue token issued) and decides the
entries in their order (`decisions.py`), then tells the tickets' subscribers through Redis. It
serves `/health` and `/metrics` only."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import structlog
from aio_pika.abc import AbstractIncomingMessage
from fastapi import FastAPI
from fedshop_common.errors import NotFound
from fedshop_common.messaging import PoisonMessage, parse_event
from fedshop_common.service import Parts, ServiceSpec, assemble
from fedshop_common.settings import ServiceSettings
from fedshop_common.web import serve
from prometheus_client import Counter
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_purchases.live import LiveChanges
from fedshop_purchases.sale.decisions import decide_through
from fedshop_purchases.sale.events import SaleEntered
from fedshop_purchases.sale.queues import SALE_QUEUE
from fedshop_purchases.sale.tokens import SaleSettings, SaleTokens, signing_secret

# The purchases service's own migrations: the worker writes to the same database.
MIGRATIONS = Path(__file__).parent.parent / "migrations"

DECIDED = Counter("fedshop_sale_entries_decided", "Sale queue entries decided by the worker")

log = structlog.get_logger()


class SaleWorkerSettings(ServiceSettings, SaleSettings):
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fedshop_purchases"
    # Serves /health and /metrics only; the work comes from RabbitMQ.
    port: int = 4007


class SaleEntryHandler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        tokens: SaleTokens,
        changes: LiveChanges,
    ) -> None:
        self._sessions = sessions
        self._tokens = tokens
        self._changes = changes

    async def __call__(self, message: AbstractIncomingMessage) -> None:
        entered = parse_event(message, SaleEntered)
        try:
            sale_id, decided = await decide_through(self._sessions, self._tokens, entered.entry_id)
        except NotFound as error:  # an entry this database never had: a token never issued
            raise PoisonMessage(str(error)) from error
        if not decided:
            return  # decided already (a redelivery, or an earlier prompt covered it)
        DECIDED.inc(decided)
        log.info("sale entries decided", sale_id=str(sale_id), count=decided)
        try:
            await self._changes.announce(sale_id, "sale")
        except (RedisError, OSError) as error:  # subscribers re-read on their own schedule
            log.warning("sale change not announced", error=repr(error))


def create_app(settings: SaleWorkerSettings | None = None) -> FastAPI:
    settings = settings or SaleWorkerSettings()
    tokens = SaleTokens(signing_secret(settings.sale_token_secret, settings.is_dev))

    @asynccontextmanager
    async def setup(parts: Parts, app: FastAPI) -> AsyncIterator[None]:
        changes = LiveChanges(parts.redis, settings.namespace)
        parts.consume(SALE_QUEUE, SaleEntryHandler(parts.sessions, tokens, changes))
        yield
        await changes.close()

    return assemble(
        ServiceSpec(
            "sale-worker",
            settings,
            MIGRATIONS,
            setup,
            title="fedshop sale worker",
            # Its work only comes from the broker: without it, the worker is not ready.
            broker_required=True,
            uses_cache=False,
        )
    )


def main() -> None:
    settings = SaleWorkerSettings()
    serve(create_app(settings), settings)
