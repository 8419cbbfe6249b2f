"""The fake answers as CoinMarketCap's documentation shows, and enforces its own daily limit."""

import httpx
import pytest
from fedshop_quotes_fake.app import create_app

KEY = {"X-CMC_PRO_API_KEY": "the-key"}
LATEST = "/v1/cryptocurrency/quotes/latest"


@pytest.fixture
async def fake(monkeypatch):
    monkeypatch.setenv("FAKE_QUOTES_API_KEY", "the-key")
    monkeypatch.setenv("FAKE_QUOTES_DAILY_LIMIT", "3")
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://fake") as client:
        yield client


async def test_quotes_in_coinmarketcaps_shape(fake):
    answer = await fake.get(LATEST, params={"symbol": "ETH,BTC", "convert": "USD"}, headers=KEY)
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"]["error_code"] == 0 and body["status"]["credit_count"] == 1
    assert set(body["data"]) == {"ETH", "BTC"}
    eth = body["data"]["ETH"]
    assert eth["symbol"] == "ETH" and eth["id"] == 1027
    assert 2500 < eth["quote"]["USD"]["price"] < 3500
    assert eth["quote"]["USD"]["last_updated"].endswith("Z")


@pytest.mark.parametrize(("headers", "code"), [({}, 1002), ({"X-CMC_PRO_API_KEY": "wrong"}, 1001)])
async def test_a_missing_or_wrong_key_is_refused(fake, headers, code):
    answer = await fake.get(LATEST, params={"symbol": "ETH"}, headers=headers)
    assert answer.status_code == 401
    assert answer.json()["status"]["error_code"] == code


async def test_the_daily_limit_is_enforced(fake):
    statuses = [
        (await fake.get(LATEST, params={"symbol": "ETH"}, headers=KEY)).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    refused = await fake.get(LATEST, params={"symbol": "ETH"}, headers=KEY)
    assert refused.json()["status"]["error_code"] == 1009
    assert (await fake.get("/fake/calls")).json()["calls"] == 3


async def test_an_unknown_symbol_is_a_400(fake):
    answer = await fake.get(LATEST, params={"symbol": "ETH,NOPE"}, headers=KEY)
    assert answer.status_code == 400
    assert "NOPE" in answer.json()["status"]["error_message"]


@pytest.mark.parametrize(("mode", "status"), [("down", 500), ("nonsense", 200), ("limit", 429)])
async def test_the_switch_makes_it_misbehave(fake, mode, status):
    assert (await fake.put("/fake/mode", json={"mode": mode})).status_code == 200
    answer = await fake.get(LATEST, params={"symbol": "ETH"}, headers=KEY)
    assert answer.status_code == status
    if mode == "nonsense":
        assert "data" not in answer.text


async def test_the_ledger_keeps_transactions_by_hash(fake):
    made = await fake.post(
        "/ledger/transactions", json={"to": "0xshop", "symbol": "ETH", "amount": "0.0125"}
    )
    assert made.status_code == 201
    tx = made.json()
    assert tx["hash"].startswith("0x") and len(tx["hash"]) == 66
    found = await fake.get(f"/ledger/transactions/{tx['hash']}")
    assert found.json() == tx
    assert (await fake.get("/ledger/transactions/0xnothing")).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"to": "0xshop", "symbol": "ETH", "amount": "-1"},
        {"to": "", "symbol": "ETH", "amount": "1"},
        {"to": "0xshop", "symbol": "eth!", "amount": "1"},
    ],
)
async def test_a_bad_transaction_is_a_422(fake, body):
    assert (await fake.post("/ledger/transactions", json=body)).status_code == 422
