"""Prices in a token and paying by a (simulated) transaction, the whole way: the fake quote API
and ledger, the shop, the payment worker and the router, each a real process. A transaction is
checked by the payment worker before the order is paid and the stock changes; each refusal
names its reason and returns the reserved stock."""

import asyncio
from decimal import ROUND_UP, Decimal

import httpx
import psycopg
import pytest
from fedshop_common.crypto import CryptoSettings
from fedshop_purchases.crypto.quotes import Quote
from redis.asyncio import Redis
from sqlalchemy.engine import make_url

from tests.graphql_client import execute
from tests.support import REDIS_URL, eventually
from tests.system import start_system

pytestmark = pytest.mark.timeout(300)
SHOP = CryptoSettings().addresses  # the demo addresses every process of the system uses
CHAIR = 2  # seeded at 20; given counted stock below
ITEMS_IN_ETH = """
query { catalog(first: 5) { edges { node { id name price priceIn(symbol: "ETH") {
  symbol amount usdRate quotedAt ageSeconds } } } } }"""
MAKE_TRANSACTION = """
mutation Pay($symbol: String!, $amount: Float!) {
  makeTestTransaction(symbol: $symbol, amount: $amount) { hash to symbol amount } }"""


@pytest.fixture(scope="module")
def stack(make_stack):
    return make_stack("crypto")


@pytest.fixture(scope="module")
def system(stack):
    running = start_system(stack)
    with shop_database(stack) as db:  # counted stock, as the warehouse would have given it
        db.execute("UPDATE items SET stock = 100 WHERE id = %s", (CHAIR,))
    yield running
    running.stop()


def shop_database(stack) -> psycopg.Connection:
    url = make_url(stack.database_url("purchases")).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)


@pytest.fixture
async def shop(system):
    async with httpx.AsyncClient(base_url=system.purchases_url, timeout=20) as client:
        await eventually(lambda: _has_quote(client), within=30, every=0.5)
        yield client


async def _has_quote(client: httpx.AsyncClient) -> bool:
    return (await client.get("/items", params={"currency": "ETH"})).status_code == 200


async def ledger_transaction(system, to: str, symbol: str, amount: Decimal) -> str:
    async with httpx.AsyncClient(base_url=system.quotes_url) as ledger:
        made = await ledger.post(
            "/ledger/transactions", json={"to": to, "symbol": symbol, "amount": str(amount)}
        )
    made.raise_for_status()
    return made.json()["hash"]


async def stock_of(stack, item_id: int) -> int:
    def read() -> int:
        with shop_database(stack) as db:
            return db.execute("SELECT stock FROM items WHERE id = %s", (item_id,)).fetchone()[0]

    return await asyncio.to_thread(read)


async def checkout_in(shop, symbol: str, tx_hash: str, quantity: int = 1) -> dict:
    placed = await shop.post(
        "/api/checkout",
        json={
            "user_id": 1,
            "items": [{"item_id": CHAIR, "quantity": quantity}],
            "payment": {"method": "crypto", "symbol": symbol, "tx_hash": tx_hash},
        },
    )
    assert placed.status_code == 201, placed.text
    return placed.json()


async def settled(shop, order_id: str) -> dict:
    async def done() -> dict | None:
        order = (await shop.get(f"/api/orders/{order_id}")).json()
        return order if order["status"] != "awaiting_payment" else None

    return await eventually(done, within=60, every=0.3)


async def test_items_are_priced_in_a_token_at_the_shared_quote(system, shop):
    items = (await shop.get("/items", params={"currency": "eth"})).json()
    rate = Decimal(str(items[0]["price_in"]["usd_rate"]))
    for item in items:
        due = (Decimal(str(item["price"])) / rate).quantize(Decimal("1e-8"), rounding=ROUND_UP)
        assert item["price_in"]["symbol"] == "ETH"
        assert Decimal(str(item["price_in"]["amount"])) == due
        assert 0 <= item["price_in"]["age_seconds"] < 600
    assert "price_in" not in (await shop.get("/items")).json()[0]  # the plain shape otherwise
    refused = await shop.get("/items", params={"currency": "DOGE"})
    assert refused.status_code == 422 and "BTC, ETH, SOL" in refused.json()["detail"]

    # Through the router: the warehouse's catalog, each item's priceIn resolved by the shop.
    edges = (await execute(system.graphql_url, ITEMS_IN_ETH))["catalog"]["edges"]
    assert edges and all(edge["node"]["priceIn"]["symbol"] == "ETH" for edge in edges)
    assert all(edge["node"]["priceIn"]["usdRate"] == float(rate) for edge in edges)


async def test_a_valid_transaction_pays_the_order_once_and_the_stock_moves(system, stack, shop):
    before = await stock_of(stack, CHAIR)
    # The demo's way to pay: a test transaction through the router, to the shop's address.
    items = (await shop.get("/items", params={"currency": "ETH"})).json()
    due = next(i["price_in"]["amount"] for i in items if i["id"] == CHAIR)
    made = (await execute(system.graphql_url, MAKE_TRANSACTION, symbol="ETH", amount=due))[
        "makeTestTransaction"
    ]
    assert made["to"] == SHOP["ETH"] and made["symbol"] == "ETH"

    order = await checkout_in(shop, "ETH", made["hash"])
    assert order["crypto_due"]["symbol"] == "ETH"
    assert order["crypto_due"]["amount"] == pytest.approx(due, abs=1e-7)
    paid = await settled(shop, order["id"])
    assert (paid["status"], paid["payment_error"]) == ("paid", None)
    assert await stock_of(stack, CHAIR) == before - 1

    # The same transaction again, for another order: refused, that order's stock back.
    again = await checkout_in(shop, "ETH", made["hash"])
    refused = await settled(shop, again["id"])
    assert (refused["status"], refused["payment_error"]) == (
        "cancelled",
        "transaction already used",
    )
    assert await stock_of(stack, CHAIR) == before - 1


async def test_each_bad_transaction_is_refused_with_its_reason_and_the_stock_returns(
    system, stack, shop
):
    before = await stock_of(stack, CHAIR)
    unknown = "0x" + "ab" * 32
    elsewhere = await ledger_transaction(system, "0xsomeone-else", "ETH", Decimal(1))
    too_small = await ledger_transaction(system, SHOP["ETH"], "ETH", Decimal("0.00000001"))
    orders = [
        await checkout_in(shop, "ETH", unknown),
        await checkout_in(shop, "ETH", elsewhere),
        await checkout_in(shop, "ETH", too_small, quantity=2),
    ]
    outcomes = [await settled(shop, order["id"]) for order in orders]
    due = outcomes[2]["crypto_due"]["amount"]
    assert [(o["status"], o["payment_error"]) for o in outcomes] == [
        ("cancelled", "unknown transaction"),
        ("cancelled", "paid to another address"),
        ("cancelled", f"amount too small: 0.00000001 ETH, {Decimal(str(due)):f} due"),
    ]
    assert await stock_of(stack, CHAIR) == before


async def test_an_order_priced_at_a_stale_quote_is_refused(system, stack, shop):
    # The quote source has been down for an hour: the shop still prices in SOL, with the last
    # quote's age, but the payment worker refuses to be paid at a rate that old.
    redis = Redis.from_url(REDIS_URL)
    key = f"{stack.namespace}quotes:SOL"
    fresh = await redis.get(key)
    stale = Quote.from_json(fresh)
    stale = Quote("SOL", stale.usd_rate, stale.quoted_at.replace(year=stale.quoted_at.year - 1))
    await redis.set(key, stale.to_json())
    try:
        items = (await shop.get("/items", params={"currency": "SOL"})).json()
        assert items[0]["price_in"]["age_seconds"] > 86400 * 300
        amount = Decimal(str(next(i for i in items if i["id"] == CHAIR)["price_in"]["amount"]))
        tx = await ledger_transaction(system, SHOP["SOL"], "SOL", amount)
        order = await checkout_in(shop, "SOL", tx)
    finally:
        await redis.set(key, fresh)
        await redis.aclose()
    refused = await settled(shop, order["id"])
    assert refused["status"] == "cancelled"
    assert refused["payment_error"].startswith("quote too old: ")


async def test_a_crypto_checkout_without_its_transaction_is_refused_and_writes_nothing(stack, shop):
    before = await stock_of(stack, CHAIR)
    for payment, words in [
        ({"method": "crypto", "symbol": "ETH"}, "transaction's hash"),
        ({"method": "crypto", "tx_hash": "0xab"}, "token's symbol"),
        ({"method": "crypto", "symbol": "DOGE", "tx_hash": "0xab"}, "no price in 'DOGE'"),
    ]:
        answer = await shop.post(
            "/api/checkout",
            json={"user_id": 1, "items": [{"item_id": CHAIR, "quantity": 1}], "payment": payment},
        )
        assert answer.status_code == 422, answer.text
        assert words in answer.text
    await asyncio.sleep(0.2)
    assert await stock_of(stack, CHAIR) == before
