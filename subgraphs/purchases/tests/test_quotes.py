"""Quotes from the fake CoinMarketCap (a real process on its own port) through real Redis: one
budget of upstream calls for every replica, the last good quote kept through the source's
failures, and a clear answer when there is none yet."""

import asyncio
import time
from decimal import Decimal

import httpx
import pytest
from fedshop_common.errors import InvalidInput
from fedshop_purchases.crypto.quotes import (
    QuoteBook,
    QuoteSource,
    QuoteUnavailable,
    keep_quotes_fresh,
)
from redis.asyncio import Redis

from tests.support import REDIS_URL, free_port, serving

API_KEY = "quotes-test-key"
SYMBOLS = ("ETH", "BTC")


@pytest.fixture(scope="module")
def fake_url(stack):
    with serving(
        stack,
        "purchases-tests-quotes-fake",
        "fedshop-quotes-fake",
        "quotes",
        FAKE_QUOTES_API_KEY=API_KEY,
        FAKE_QUOTES_DAILY_LIMIT="1000",
    ) as url:
        yield url


@pytest.fixture
async def redis():
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture
def namespace(stack, request):
    return f"{stack.namespace}{request.node.name}."


def set_mode(fake_url: str, mode: str) -> None:
    httpx.put(f"{fake_url}/fake/mode", json={"mode": mode}).raise_for_status()


def upstream_calls(fake_url: str) -> int:
    return httpx.get(f"{fake_url}/fake/calls").json()["calls"]


def source(fake_url: str, timeout: float = 2.0) -> QuoteSource:
    return QuoteSource(fake_url, API_KEY, SYMBOLS, timeout_seconds=timeout)


async def test_no_quote_yet_is_unavailable_and_an_unknown_symbol_is_bad_input(redis, namespace):
    book = QuoteBook(redis, namespace, SYMBOLS, daily_limit=300)
    with pytest.raises(QuoteUnavailable, match="no ETH quote yet"):
        await book.latest("ETH")
    with pytest.raises(InvalidInput, match="ETH, BTC"):
        await book.latest("DOGE")


async def test_a_refresh_stores_quotes_every_replica_reads(redis, namespace, fake_url):
    one, other = (QuoteBook(redis, namespace, SYMBOLS, daily_limit=300) for _ in range(2))
    assert await one.refresh_if_due(source(fake_url))
    quote = await other.latest("eth")
    assert quote.symbol == "ETH" and Decimal(2500) < quote.usd_rate < Decimal(3500)
    assert quote.age_seconds() < 5
    assert quote.convert(quote.usd_rate * 2) == Decimal("2.00000000")
    # The interval's lease is taken: neither may call again now.
    assert not await one.refresh_if_due(source(fake_url))
    assert not await other.refresh_if_due(source(fake_url))


async def test_two_replicas_share_one_budget_and_reads_never_call_upstream(
    redis, namespace, fake_url
):
    # 43,200 a day: one call every 2 s across both replicas.
    replicas = [QuoteBook(redis, namespace, SYMBOLS, daily_limit=43200) for _ in range(2)]
    before = upstream_calls(fake_url)
    started = time.monotonic()
    tasks = [
        asyncio.create_task(keep_quotes_fresh(book, source(fake_url), check_every=0.1))
        for book in replicas
    ]
    try:
        await asyncio.sleep(0.5)
        reads = 0
        while reads < 10_000:
            await asyncio.gather(*(replicas[i % 2].latest("ETH") for i in range(20)))
            reads += 20
        await asyncio.sleep(max(0.0, 6.5 - (time.monotonic() - started)))
    finally:
        for task in tasks:
            task.cancel()
    elapsed = time.monotonic() - started
    calls = upstream_calls(fake_url) - before
    allowed = int(elapsed // 2) + 1
    print(f"\n10,000 reads and {elapsed:.1f} s: {calls} upstream calls (budget {allowed})")
    assert 1 <= calls <= allowed


@pytest.mark.parametrize("mode", ["down", "nonsense", "limit", "slow"])
async def test_the_last_good_quote_is_served_with_its_age_when_the_source_fails(
    redis, namespace, fake_url, mode
):
    book = QuoteBook(redis, namespace, SYMBOLS, daily_limit=86400)  # a call a second
    assert await book.refresh_if_due(source(fake_url))
    good = await book.latest("BTC")
    set_mode(fake_url, mode)
    try:
        await asyncio.sleep(1.1)
        assert not await book.refresh_if_due(source(fake_url, timeout=0.5))
    finally:
        set_mode(fake_url, "ok")
    kept = await book.latest("BTC")
    assert kept == good
    assert kept.age_seconds() >= 1.1


async def test_a_source_that_refuses_the_connection_costs_no_call(redis, namespace):
    book = QuoteBook(redis, namespace, SYMBOLS, daily_limit=1)  # one call a day
    nowhere = QuoteSource(f"http://127.0.0.1:{free_port()}", API_KEY, SYMBOLS)
    assert not await book.refresh_if_due(nowhere)
    assert await book.calls_today() == 0
    # The lease is free again: the next check may call (it would have waited a day).
    assert await redis.set(f"{namespace}quotes:lease", "someone", nx=True, ex=1)
