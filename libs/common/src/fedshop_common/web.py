"""What every HTTP service shares: running under uvicorn and reporting its dependencies' health."""

import asyncio
import json
from collections.abc import Awaitable, Callable

import uvicorn
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from fedshop_common.amqp import Broker
from fedshop_common.settings import ServiceSettings

HEALTH_CHECK_TIMEOUT_SECONDS = 2
HealthCheck = Callable[[], Awaitable[None]]


class AsciiJSONResponse(JSONResponse):
    """JSON with non-ASCII escaped: a 422 echoes the client's input, which may hold a lone
    surrogate that cannot be encoded as UTF-8 (the plain response would fail with a 500)."""

    def render(self, content: object) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode()


def add_request_validation_handler(app: FastAPI) -> None:
    """FastAPI's 422 for a malformed request, rendered safely whatever the input held."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        return AsciiJSONResponse({"detail": jsonable_encoder(error.errors())}, status_code=422)


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level.lower())


def database_check(engine: AsyncEngine) -> HealthCheck:
    async def check() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    return check


def broker_check(broker: Callable[[], Broker]) -> HealthCheck:
    """`broker` gives the connected Broker, which exists only once the app has started."""

    async def check() -> None:
        if broker().connection.is_closed:
            raise ConnectionError("broker connection closed")

    return check


def add_health_route(
    app: FastAPI, checks: dict[str, HealthCheck], optional: dict[str, HealthCheck] | None = None
) -> None:
    """`GET /health`: each dependency's state. 503 when a required one is down; a down optional
    one (a cache the service can do without) makes the status "degraded" but still 200."""
    optional = optional or {}

    @app.get("/health", tags=["health"])
    async def health() -> JSONResponse:
        report = {}
        for name, check in {**checks, **optional}.items():
            try:
                await asyncio.wait_for(check(), timeout=HEALTH_CHECK_TIMEOUT_SECONDS)
                report[name] = "ok"
            except Exception as error:  # a health report names the failure instead of raising
                report[name] = f"down: {type(error).__name__}"
        serving = all(report[name] == "ok" for name in checks)
        status = "ok" if all(state == "ok" for state in report.values()) else "degraded"
        return JSONResponse(
            {"status": status if serving else "down", "dependencies": report},
            status_code=200 if serving else 503,
        )
