"""What every HTTP service shares: running under uvicorn, safe 422s, and health reports."""

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import uvicorn
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

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


# Longer than any client's idle keep-alive (httpx and the gateway keep 5 s, as uvicorn does by
# default): with equal timeouts, a client may reuse a connection the server is just closing, and
# a POST on it fails with a reset (seen under load in the stock test).
KEEP_ALIVE_SECONDS = 65


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


def database_check(engine: AsyncEngine) -> HealthCheck:
    async def check() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    return check


@dataclass(frozen=True)
class HealthChecks:
    """`required`: the service cannot serve without them (readiness fails); `optional`: it
    serves without them, degraded (a cache, a broker behind an outbox); `tasks`: the states of
    its background tasks."""

    required: dict[str, HealthCheck]
    optional: dict[str, HealthCheck] = field(default_factory=dict)
    tasks: Callable[[], dict[str, str]] = dict


def add_health_routes(app: FastAPI, checks: HealthChecks) -> None:
    """`/health/live`: the process answers (restart it if not). `/health/ready`: it can serve:
    503 while a required dependency is down (take it out of the load balancer). `/health`: the
    detailed report, with the same status code as readiness."""

    async def report() -> tuple[bool, dict]:
        states = {}
        for name, check in {**checks.required, **checks.optional}.items():
            try:
                await asyncio.wait_for(check(), timeout=HEALTH_CHECK_TIMEOUT_SECONDS)
                states[name] = "ok"
            except Exception as error:  # a health report names the failure instead of raising
                states[name] = f"down: {type(error).__name__}"
        serving = all(states[name] == "ok" for name in checks.required)
        tasks = checks.tasks()
        healthy = all(state == "ok" for state in states.values()) and all(
            state in ("running", "done") for state in tasks.values()
        )
        status = ("ok" if healthy else "degraded") if serving else "down"
        return serving, {"status": status, "dependencies": states, "tasks": tasks}

    @app.get("/health/live", tags=["health"])
    async def live() -> dict:
        return {"status": "ok"}

    @app.get("/health/ready", tags=["health"])
    async def ready() -> JSONResponse:
        serving, body = await report()
        return JSONResponse(body, status_code=200 if serving else 503)

    @app.get("/health", tags=["health"])
    async def health() -> JSONResponse:
        return await ready()
