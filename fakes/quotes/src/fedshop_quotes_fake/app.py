"""CoinMarketCap's `GET /v1/cryptocurrency/quotes/latest`, as its documentation shows it, for a few
symbols whose rates move with the clock; an API key, a daily call limit it enforces (HTTP 429,
error 1009) and a switch to misbehave. Plus a simulated chain: transactions that the demo makes
(`POST /ledger/transactions`) and the payment worker looks up by hash.

Settings: `FAKE_QUOTES_API_KEY` (the key it accepts), `FAKE_QUOTES_DAILY_LIMIT` (calls per UTC
day). `/fake/*` is the switch and the counter; nothing of the real API."""

import asyncio
import math
import os
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from fastapi import FastAPI, Header, HTTPException, Query
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field

# USD prices the rates move around: ±5 % over an hour, a little every minute.
SYMBOLS = {
    "BTC": (1, "Bitcoin", 60000.0),
    "ETH": (1027, "Ethereum", 3000.0),
    "SOL": (5426, "Solana", 150.0),
}
SLOW_SECONDS = 30.0


class Mode(StrEnum):
    OK = "ok"
    DOWN = "down"  # 500, as an outage behind the API's own front
    SLOW = "slow"  # answers after SLOW_SECONDS: a client's timeout must fire first
    NONSENSE = "nonsense"  # 200 with a body that is not a quote
    LIMIT = "limit"  # 429 as if the day's calls were spent


def rate(symbol: str, at: float) -> float:
    base = SYMBOLS[symbol][2]
    hour = 0.05 * math.sin(2 * math.pi * at / 3600)
    minute = 0.002 * math.sin(int(at / 60) * 12.9898)
    return round(base * (1 + hour + minute), 2)


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _status(error_code: int = 0, message: str | None = None, credits: int = 0) -> dict:
    return {
        "timestamp": _iso(time.time()),
        "error_code": error_code,
        "error_message": message,
        "elapsed": 1,
        "credit_count": credits,
        "notice": None,
    }


def _error(http_status: int, error_code: int, message: str) -> JSONResponse:
    return JSONResponse({"status": _status(error_code, message)}, status_code=http_status)


class NewTransaction(BaseModel):
    to: str = Field(min_length=1, max_length=200)
    symbol: str = Field(pattern=r"^[A-Z]{2,10}$")
    amount: Decimal = Field(gt=0, max_digits=30, decimal_places=18)


class Transaction(NewTransaction):
    hash: str
    created_at: datetime


class ModeChange(BaseModel):
    mode: Mode


@dataclass
class FakeState:
    api_key: str
    daily_limit: int
    mode: Mode = Mode.OK
    day: str = ""
    calls: int = 0
    ledger: dict[str, Transaction] = field(default_factory=dict)

    def count_call(self) -> bool:
        """Count a call against today's limit; False once the day's calls are spent."""
        today = datetime.now(UTC).date().isoformat()
        if today != self.day:
            self.day, self.calls = today, 0
        if self.calls >= self.daily_limit:
            return False
        self.calls += 1
        return True


def create_app() -> FastAPI:
    state = FakeState(
        api_key=os.environ.get("FAKE_QUOTES_API_KEY", "fedshop-fake-key"),
        daily_limit=int(os.environ.get("FAKE_QUOTES_DAILY_LIMIT", "300")),
    )
    app = FastAPI(title="fake CoinMarketCap quotes and a simulated ledger")
    app.state.fake = state

    @app.get("/v1/cryptocurrency/quotes/latest")
    async def quotes_latest(
        symbol: Annotated[str, Query()] = "",
        convert: Annotated[str, Query()] = "USD",
        api_key: Annotated[str | None, Header(alias="X-CMC_PRO_API_KEY")] = None,
    ):
        if not api_key:
            return _error(401, 1002, "API key missing.")
        if api_key != state.api_key:
            return _error(401, 1001, "This API Key is invalid.")
        if state.mode == Mode.LIMIT or not state.count_call():
            return _error(429, 1009, "You've exceeded your API Key's daily rate limit.")
        if state.mode == Mode.DOWN:
            return _error(500, 500, "An internal server error occurred.")
        if state.mode == Mode.SLOW:
            await asyncio.sleep(SLOW_SECONDS)
        if state.mode == Mode.NONSENSE:
            return PlainTextResponse("<html>maintenance</html>", status_code=200)
        wanted = [s.strip().upper() for s in symbol.split(",") if s.strip()]
        unknown = [s for s in wanted if s not in SYMBOLS]
        if not wanted or unknown:
            return _error(400, 400, f'Invalid value for "symbol": "{",".join(unknown) or symbol}"')
        if convert.upper() != "USD":
            return _error(400, 400, f'Invalid value for "convert": "{convert}"')
        now = time.time()
        data = {
            s: {
                "id": SYMBOLS[s][0],
                "name": SYMBOLS[s][1],
                "symbol": s,
                "last_updated": _iso(now),
                "quote": {"USD": {"price": rate(s, now), "last_updated": _iso(now)}},
            }
            for s in wanted
        }
        return {"status": _status(credits=1), "data": data}

    @app.post("/ledger/transactions", status_code=201)
    async def make_transaction(new: NewTransaction) -> Transaction:
        made = Transaction(
            **new.model_dump(), hash="0x" + secrets.token_hex(32), created_at=datetime.now(UTC)
        )
        state.ledger[made.hash] = made
        return made

    @app.get("/ledger/transactions/{tx_hash}")
    async def find_transaction(tx_hash: str) -> Transaction:
        if tx_hash not in state.ledger:
            raise HTTPException(404, "no such transaction")
        return state.ledger[tx_hash]

    @app.put("/fake/mode")
    async def set_mode(change: ModeChange) -> dict:
        state.mode = change.mode
        return {"mode": state.mode}

    @app.get("/fake/calls")
    async def calls() -> dict:
        return {"day": state.day, "calls": state.calls, "daily_limit": state.daily_limit}

    @app.get("/health")
    @app.get("/health/ready")  # the path compose's healthcheck asks every service
    async def health() -> dict:
        return {"status": "ok"}

    return app
