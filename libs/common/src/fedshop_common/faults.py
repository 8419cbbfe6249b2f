"""Faults on demand, for demos and load tests: a dependency made slow or failing by a setting.

- `FAULT_SMTP_REFUSE_RATE` (0–1): the email worker refuses that share of its sends with an SMTP
  554, as a mail server would; the message is retried like any failed send (and dead-lettered
  when the retry policy gives up).
- `FAULT_USERS_SLOW_MS`: the users service answers every request (health and metrics excepted)
  that much later; the purchases service's `USERS_TIMEOUT_SECONDS` and the router's
  `UPSTREAM_TIMEOUT_MS` then show what they do.
- `FAULT_PAYMENTS_DECLINE_RATE` (0–1): the payment worker declines that share of the card
  payments it would let through (`card declined`, as a real decline); the order is cancelled.

All are 0 (off) by default. The assembly builds one `Faults` per service (`Parts.faults`,
`app.state.faults`), installs the delay and the admin toggle; each injected fault counts in
`fedshop_faults_injected_total{fault}`.

The toggle: `GET /admin/faults` shows them, `POST /admin/faults` with `{"users_slow_ms": 500}`
changes them in that process (each replica has its own), for an admin's token only (401
without a token, 403 for a customer). A service that verifies no tokens (the email worker)
answers 404 there: its faults are set by its settings only.
"""

import asyncio
import random
from dataclasses import asdict, dataclass

import structlog
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import HTTPBearer
from prometheus_client import Counter
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from fedshop_common.auth import Forbidden
from fedshop_common.auth.doors import RequestAuth
from fedshop_common.settings import ServiceSettings

log = structlog.get_logger()

SLOW_SERVICE = "users"
NOT_SLOWED = ("/health", "/metrics")

FAULTS_INJECTED = Counter("fedshop_faults_injected", "Faults injected on demand", ["fault"])


class InjectedFault(ConnectionError):
    """A failure made on purpose (a FAULT_* setting): handled as the real outage would be."""


@dataclass
class Faults:
    service: str
    smtp_refuse_rate: float = 0.0
    users_slow_ms: int = 0
    payments_decline_rate: float = 0.0

    @classmethod
    def from_settings(cls, service: str, settings: ServiceSettings) -> "Faults":
        return cls(
            service,
            settings.fault_smtp_refuse_rate,
            settings.fault_users_slow_ms,
            settings.fault_payments_decline_rate,
        )

    def settings(self) -> dict[str, float | int]:
        values = asdict(self)
        values.pop("service")
        return values

    def update(self, **values: float) -> None:
        for name, value in values.items():
            if name not in self.settings():
                raise ValueError(f"no fault named {name}")
            if name.endswith("_rate") and not 0 <= value <= 1:
                raise ValueError(f"{name} is a share, between 0 and 1")
            if value < 0:
                raise ValueError(f"{name} cannot be negative")
            setattr(self, name, type(getattr(self, name))(value))

    def _happens(self, rate: float, fault: str) -> bool:
        if rate > 0 and random.random() < rate:
            FAULTS_INJECTED.labels(fault).inc()
            return True
        return False

    def refuse_smtp(self) -> None:
        """Raise as a refusing mail server would, for `smtp_refuse_rate` of the calls."""
        if self._happens(self.smtp_refuse_rate, "smtp_refuse"):
            raise InjectedFault("SMTP refused on demand (FAULT_SMTP_REFUSE_RATE)")

    def payment_declined(self) -> bool:
        """For the payment worker: decline this payment? (`payments_decline_rate`)."""
        return self._happens(self.payments_decline_rate, "payment_decline")

    @property
    def request_delay_seconds(self) -> float:
        if self.service != SLOW_SERVICE or self.users_slow_ms <= 0:
            return 0.0
        return self.users_slow_ms / 1000


class SlowRequests:
    """ASGI middleware: each HTTP request waits `faults.request_delay_seconds` first."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        delay = self.faults.request_delay_seconds
        if delay and scope["type"] == "http" and not scope["path"].startswith(NOT_SLOWED):
            FAULTS_INJECTED.labels("users_slow").inc()
            await asyncio.sleep(delay)
        await self.app(scope, receive, send)


class FaultSettings(BaseModel):
    smtp_refuse_rate: float
    users_slow_ms: int
    payments_decline_rate: float


class FaultChange(BaseModel):
    """The faults to change; those left out keep their value."""

    smtp_refuse_rate: float | None = Field(None, ge=0, le=1)
    users_slow_ms: int | None = Field(None, ge=0, le=60_000)
    payments_decline_rate: float | None = Field(None, ge=0, le=1)


async def _require_admin(request: Request) -> Faults:
    if getattr(request.app.state, "token_verifier", None) is None:
        raise HTTPException(404, "this service verifies no tokens: its faults are settings only")
    principal = await RequestAuth.of(request).required()
    if not principal.is_admin:
        raise Forbidden("only an admin may inject faults")
    return request.app.state.faults


ADMIN_RESPONSES = {
    401: {"description": "No access token, or a bad or expired one"},
    403: {"description": "Not an admin"},
    404: {"description": "This service verifies no tokens: faults by settings only"},
}


def admin_router() -> APIRouter:
    # The bearer scheme describes the door in OpenAPI (/docs' Authorize button) only.
    router = APIRouter(
        prefix="/admin/faults",
        tags=["admin"],
        responses=ADMIN_RESPONSES,
        dependencies=[Depends(HTTPBearer(auto_error=False))],
    )

    @router.get("", summary="The faults injected in this process")
    async def show(request: Request) -> FaultSettings:
        return (await _require_admin(request)).settings()

    @router.post("", summary="Change the faults injected in this process (admins only)")
    async def change(request: Request, change: FaultChange) -> FaultSettings:
        faults = await _require_admin(request)
        faults.update(**change.model_dump(exclude_none=True))
        log.warning("faults changed", **faults.settings())
        return faults.settings()

    return router
