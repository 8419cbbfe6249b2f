"""One way to assemble a service (the spirit of eShop's `AddServiceDefaults`).

A subgraph or worker states its settings, migrations, doors (REST routers, a GraphQL schema)
and a `setup` that builds its use cases and registers its consumers and background tasks;
`assemble` gives it the engine, the cache, the broker connections, health, metrics, offline
API docs, error handling and the lifespan that starts and stops all of it in order:

    def create_app(settings=None) -> FastAPI:
        settings = settings or PurchasesSettings()
        return assemble(ServiceSpec("purchases", settings, MIGRATIONS, setup, routers=[rest]))
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog
from fastapi import APIRouter, Depends, FastAPI, Response
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection
from strawberry import Schema
from strawberry.fastapi import GraphQLRouter

from fedshop_common import tracing
from fedshop_common.background import Supervisor
from fedshop_common.body_limit import LimitRequestBody
from fedshop_common.cache import Cache, connect_redis
from fedshop_common.database import create_database_engine, create_session_factory, migrate
from fedshop_common.errors import add_domain_error_handler
from fedshop_common.faults import Faults, SlowRequests, admin_router
from fedshop_common.logging import configure_logging
from fedshop_common.messaging import Consumer, Publisher, QueueSpec, RetryPolicy
from fedshop_common.messaging.consumer import STOP_TIMEOUT_SECONDS, MessageHandler
from fedshop_common.outbox import OutboxRelay
from fedshop_common.request_metrics import RequestMetrics
from fedshop_common.router_trust import RequireRouterSecret, require_router_secret
from fedshop_common.settings import ServiceSettings
from fedshop_common.unicode_input import RefuseLoneSurrogates, refuse_lone_surrogates
from fedshop_common.web import (
    HealthCheck,
    HealthChecks,
    add_health_routes,
    add_request_validation_handler,
    database_check,
)

QUEUE_DEPTH_EVERY_SECONDS = 15.0
# Each step of a shutdown is bounded: a broker or database that stopped answering must not keep
# the process from exiting (Kubernetes would kill it at its grace period, mid-step).
SHUTDOWN_STEP_SECONDS = 5.0
CONSUMER_STOP_SECONDS = STOP_TIMEOUT_SECONDS + 5.0

log = structlog.get_logger()


async def _bounded(
    step: str, closing: Awaitable[None], seconds: float = SHUTDOWN_STEP_SECONDS
) -> None:
    try:
        async with asyncio.timeout(seconds):
            await closing
    except TimeoutError:
        log.warning("shutdown step timed out, going on", step=step, seconds=seconds)


@dataclass
class Parts:
    """What the assembly hands a service's `setup`: connections, and ways to add work."""

    settings: ServiceSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    redis: Redis
    cache: Cache
    publisher: Publisher
    consumer: Consumer
    background: Supervisor
    faults: Faults

    def consume(
        self,
        spec: QueueSpec,
        handle: MessageHandler,
        prefetch: int | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        """Consume a queue this service owns (declared with its bindings when the broker is
        reached), with the settings' prefetch and retry policy unless given."""
        self.consumer.subscribe(
            spec,
            handle,
            prefetch or self.settings.prefetch,
            retry or self.settings.retry_policy,
        )

    def run_in_background(self, name: str, work: Callable[[], Awaitable[None]]) -> None:
        """Keep `work` running for the service's life; restarted with backoff if it fails."""
        self.background.run(name, work)

    def relay_outbox(self, poll_seconds: float = 1.0) -> OutboxRelay:
        """Publish this service's outbox in the background; call `wake()` after a commit."""
        relay = OutboxRelay(self.sessions, self.publisher, poll_seconds)
        self.run_in_background("outbox-relay", relay.run)
        return relay


Setup = Callable[[Parts, FastAPI], AbstractAsyncContextManager[None]]


@dataclass(frozen=True)
class GraphQLDoor:
    schema: Schema
    context: Callable[[HTTPConnection], Awaitable[Any]]


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    settings: ServiceSettings
    migrations: Path
    setup: Setup
    title: str = ""
    description: str = ""
    routers: Sequence[APIRouter] = ()
    graphql: GraphQLDoor | None = None
    # Readiness fails without the broker only where nothing covers for it (an outbox does).
    broker_required: bool = False
    optional_checks: dict[str, HealthCheck] = field(default_factory=dict)
    # What it uses beyond its database; what it does not use is neither connected nor reported.
    uses_cache: bool = True
    uses_broker: bool = True


def assemble(spec: ServiceSpec) -> FastAPI:
    settings = spec.settings
    configure_logging(spec.name, settings.log_level)
    traced = tracing.configure_tracing(spec.name)  # off unless OTEL_EXPORTER_OTLP_ENDPOINT
    if spec.graphql is not None:
        require_router_secret(settings.router_shared_secret, settings.is_dev)
    engine = create_database_engine(
        settings.database_url,
        settings.db_pool_size,
        settings.db_max_overflow,
        settings.db_statement_timeout_ms,
        settings.db_lock_timeout_ms,
        settings.db_idle_in_transaction_timeout_ms,
    )
    redis = connect_redis(settings.redis_url, settings.redis_timeout_seconds)
    publisher = Publisher(settings.amqp_url, settings.namespace, spec.name)
    parts = Parts(
        settings=settings,
        engine=engine,
        sessions=create_session_factory(engine),
        redis=redis,
        cache=Cache(redis, f"{settings.namespace}fedshop", settings.cache_ttl_seconds),
        publisher=publisher,
        consumer=Consumer(
            settings.amqp_url, settings.namespace, spec.name, publisher, settings.event_publishers
        ),
        background=Supervisor(),
        faults=Faults.from_settings(spec.name, settings),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(migrate, settings.database_url, spec.migrations)
        if spec.uses_broker:
            parts.background.run("publisher", publisher.connect, forever=False)
        async with spec.setup(parts, app):
            if parts.consumer.subscriptions:
                parts.background.run("consumer", parts.consumer.start, forever=False)
                parts.run_in_background("queue-depths", _sample_depths(parts.consumer))
            yield
            # A consumer still connecting is stopped first, so that closing it cannot race it.
            await parts.background.cancel("consumer")
            # Stop taking messages and finish those in hand first: they may still publish.
            await _bounded("consumer", parts.consumer.close(), CONSUMER_STOP_SECONDS)
            await parts.background.stop()  # bounded by the supervisor itself
        await _bounded("publisher", publisher.close())
        await _bounded("redis", redis.aclose())
        await _bounded("database", engine.dispose())
        tracing.flush()

    # Swagger UI and ReDoc from the package's own files: /docs works with no internet.
    app = FastAPIOffline(
        title=spec.title or f"fedshop {spec.name}", description=spec.description, lifespan=lifespan
    )
    app.state.parts = parts
    app.state.engine = engine
    app.state.faults = parts.faults
    add_request_validation_handler(app)
    add_domain_error_handler(app)
    for router in spec.routers:
        app.include_router(router, dependencies=[Depends(refuse_lone_surrogates)])
    app.include_router(admin_router())  # POST /admin/faults, admins only
    if spec.graphql is not None:
        # Added once here rather than in each schema's list; strawberry builds its extensions
        # per request from this tuple. Last, so that it runs after the validation cache.
        schema = spec.graphql.schema
        if RefuseLoneSurrogates not in schema.extensions:
            schema.extensions = (*schema.extensions, RefuseLoneSurrogates)
        # GraphQL is described by its schema, not by OpenAPI: /docs lists the REST routes only.
        app.include_router(
            GraphQLRouter(spec.graphql.schema, context_getter=spec.graphql.context),
            prefix="/graphql",
            include_in_schema=False,
        )
        app.add_middleware(RequireRouterSecret, secret=settings.router_shared_secret)
    broker = {"publisher": publisher.check, "consumer": parts.consumer.check}
    if not spec.uses_broker:
        broker = {}
    add_health_routes(
        app,
        HealthChecks(
            required={"database": database_check(engine)}
            | (broker if spec.broker_required else {}),
            optional=({"cache": parts.cache.check} if spec.uses_cache else {})
            | ({} if spec.broker_required else broker)
            | spec.optional_checks,
            tasks=parts.background.states,
        ),
    )
    _add_metrics(app)
    app.add_middleware(SlowRequests, faults=parts.faults)
    # Outermost of the app's own middleware: a body over the cap reaches no door.
    app.add_middleware(LimitRequestBody, max_bytes=settings.max_body_bytes)
    if traced:
        tracing.instrument_app(app, engine, spec.graphql.schema if spec.graphql else None)
    return app


def _sample_depths(consumer: Consumer) -> Callable[[], Awaitable[None]]:
    async def sample() -> None:
        while True:
            await consumer.sample_depths()
            await asyncio.sleep(QUEUE_DEPTH_EVERY_SECONDS)

    return sample


def _add_metrics(app: FastAPI) -> None:
    """`/metrics`: request counts and latencies (per app, so that tests may run several apps in
    one process) and everything the shared parts count (the process-wide registry)."""
    requests = CollectorRegistry()
    app.add_middleware(RequestMetrics, registry=requests)

    @app.get("/metrics", tags=["health"], include_in_schema=False)
    def metrics() -> Response:
        return Response(
            generate_latest(REGISTRY) + generate_latest(requests), media_type=CONTENT_TYPE_LATEST
        )
