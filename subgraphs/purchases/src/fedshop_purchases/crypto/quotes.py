"""Prices in a crypto token, from a CoinMarketCap-compatible quote API with a daily call limit.

Every replica reads quotes from Redis only; a background task in each replica refreshes them,
but a lease in Redis lets at most one call through per `86400 / QUOTES_DAILY_LIMIT` seconds
across all of them, and a per-day counter caps the calls hard: one budget, whatever the number of
processes. When the API is down, slow, over its limit or answers nonsense, the last good quote
stays and is served with its age; with no quote at all, reading one is `Unavailable`."""

import asyncio
import json
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_UP, Decimal, InvalidOperation

import httpx
import structlog
from fedshop_common.errors import InvalidInput, Unavailable
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = structlog.get_logger(__name__)

LATEST_PATH = "/v1/cryptocurrency/quotes/latest"
# Token amounts are shown and paid to 8 decimals, rounded up: the shop is never underpaid.
TOKEN_PLACES = Decimal("0.00000001")
SECONDS_PER_DAY = 86400


class QuoteSourceError(Exception):
    """The quote API gave no usable answer (its words, or why ours refused it). `reached`:
    whether the request got to the API at all (a refused connection cannot have cost a call)."""

    def __init__(self, message: str, reached: bool = True) -> None:
        super().__init__(message)
        self.reached = reached


class QuoteUnavailable(Unavailable):
    pass


@dataclass(frozen=True)
class Quote:
    symbol: str
    usd_rate: Decimal  # USD for one token
    quoted_at: datetime

    def age_seconds(self, now: datetime | None = None) -> float:
        return max(0.0, ((now or datetime.now(UTC)) - self.quoted_at).total_seconds())

    def convert(self, usd: Decimal) -> Decimal:
        return (usd / self.usd_rate).quantize(TOKEN_PLACES, rounding=ROUND_UP)

    def to_json(self) -> str:
        return json.dumps(
            {
                "symbol": self.symbol,
                "usd_rate": str(self.usd_rate),
                "at": self.quoted_at.isoformat(),
            }
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> "Quote":
        data = json.loads(text)
        return cls(data["symbol"], Decimal(data["usd_rate"]), datetime.fromisoformat(data["at"]))


def _parse_time(text: object) -> datetime:
    if not isinstance(text, str):
        raise QuoteSourceError(f"last_updated is {text!r}")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise QuoteSourceError(f"last_updated {text!r} is not a time") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_latest(body: object, symbols: tuple[str, ...]) -> dict[str, Quote]:
    """The quotes in a `quotes/latest` answer (v1: `data` keyed by symbol), or why not."""
    if not isinstance(body, dict) or not isinstance(body.get("status"), dict):
        raise QuoteSourceError("the answer is not a quotes document")
    if body["status"].get("error_code") not in (0, "0"):
        raise QuoteSourceError(
            f"error {body['status'].get('error_code')}: {body['status'].get('error_message')}"
        )
    data = body.get("data")
    if not isinstance(data, dict):
        raise QuoteSourceError("the answer has no data")
    quotes = {}
    for symbol in symbols:
        entry = data.get(symbol)
        entry = entry[0] if isinstance(entry, list) and entry else entry  # v2 lists them
        try:
            usd = entry["quote"]["USD"]
            rate = Decimal(str(usd["price"]))
        except (KeyError, TypeError, InvalidOperation) as error:
            raise QuoteSourceError(f"no USD price for {symbol}") from error
        if not rate.is_finite() or rate <= 0:
            raise QuoteSourceError(f"{symbol}'s price is {rate}")
        quotes[symbol] = Quote(symbol, rate, _parse_time(usd.get("last_updated")))
    return quotes


@dataclass(frozen=True)
class QuoteSource:
    """A CoinMarketCap-compatible API (the real one with its key, or the fake of `make dev`)."""

    url: str
    api_key: str
    symbols: tuple[str, ...]
    timeout_seconds: float = 5.0

    async def fetch(self) -> dict[str, Quote]:
        try:
            async with httpx.AsyncClient(timeout=self.timeout_seconds) as client:
                answer = await client.get(
                    self.url.rstrip("/") + LATEST_PATH,
                    params={"symbol": ",".join(self.symbols), "convert": "USD"},
                    headers={"X-CMC_PRO_API_KEY": self.api_key, "Accept": "application/json"},
                )
        except httpx.ConnectError as error:
            raise QuoteSourceError(f"ConnectError: {error}", reached=False) from error
        except httpx.HTTPError as error:
            raise QuoteSourceError(f"{type(error).__name__}: {error}") from error
        try:
            body = answer.json()
        except ValueError as error:
            raise QuoteSourceError(f"HTTP {answer.status_code}, not JSON") from error
        if answer.status_code != 200:
            status = body.get("status", {}) if isinstance(body, dict) else {}
            raise QuoteSourceError(
                f"HTTP {answer.status_code}, error {status.get('error_code')}: "
                f"{status.get('error_message')}"
            )
        return parse_latest(body, self.symbols)


class QuoteBook:
    """The quotes every replica shares in Redis, and the one budget of calls that refreshes them."""

    def __init__(self, redis: Redis, namespace: str, symbols: tuple[str, ...], daily_limit: int):
        if daily_limit < 1:
            raise ValueError("QUOTES_DAILY_LIMIT must be at least 1")
        self._redis = redis
        self._prefix = f"{namespace}quotes:"
        self.symbols = symbols
        self.daily_limit = daily_limit
        self.refresh_every_seconds = SECONDS_PER_DAY / daily_limit
        self._owner = uuid.uuid4().hex
        self._last_read: dict[str, Quote] = {}  # served when Redis itself is down

    def _check_symbol(self, symbol: str) -> str:
        symbol = symbol.upper()
        if symbol not in self.symbols:
            raise InvalidInput(
                f"no price in {symbol!r}: the shop quotes {', '.join(self.symbols)}", field="symbol"
            )
        return symbol

    async def latest(self, symbol: str) -> Quote:
        symbol = self._check_symbol(symbol)
        try:
            stored = await self._redis.get(self._prefix + symbol)
        except RedisError:
            stored = None
            log.warning("quotes.redis_unavailable", symbol=symbol)
        if stored is not None:
            self._last_read[symbol] = Quote.from_json(stored)
        if symbol not in self._last_read:
            raise QuoteUnavailable(f"no {symbol} quote yet: the quote source has not answered")
        return self._last_read[symbol]

    async def calls_today(self) -> int:
        return int(await self._redis.get(self._day_key()) or 0)

    def _day_key(self) -> str:
        return f"{self._prefix}calls:{datetime.now(UTC).date().isoformat()}"

    async def _take_a_call(self) -> bool:
        """True when this replica may call the API now: the lease for this interval is ours and
        today's calls are not spent."""
        lease = await self._redis.set(
            self._prefix + "lease", self._owner, nx=True, ex=math.ceil(self.refresh_every_seconds)
        )
        if not lease:
            return False
        day = self._day_key()
        async with self._redis.pipeline(transaction=True) as pipe:
            calls, _ = await pipe.incr(day).expire(day, 2 * SECONDS_PER_DAY).execute()
        return calls <= self.daily_limit

    async def _give_back_a_call(self) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            await pipe.decr(self._day_key()).delete(self._prefix + "lease").execute()

    async def refresh_if_due(self, source: QuoteSource) -> bool:
        """Call the source if the shared budget allows it now; True when quotes were stored."""
        if not await self._take_a_call():
            return False
        try:
            quotes = await source.fetch()
        except QuoteSourceError as error:
            log.warning("quotes.source_failed", reason=str(error), kept="the last good quotes")
            if not error.reached:  # e.g. the fake not started yet: try again at the next check
                await self._give_back_a_call()
            return False
        async with self._redis.pipeline(transaction=True) as pipe:
            for quote in quotes.values():
                pipe.set(self._prefix + quote.symbol, quote.to_json())
            await pipe.execute()
        log.info("quotes.refreshed", symbols=sorted(quotes))
        return True


async def keep_quotes_fresh(book: QuoteBook, source: QuoteSource, check_every: float = 2.0) -> None:
    """Each replica's background task: try for the lease every few seconds (it is free once an
    interval has passed since the last call, whichever replica made it)."""
    while True:
        try:
            await book.refresh_if_due(source)
        except RedisError as error:
            log.warning("quotes.redis_unavailable", error=str(error))
        await asyncio.sleep(min(check_every, book.refresh_every_seconds))
