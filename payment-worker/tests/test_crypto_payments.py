"""Crypto payments against the simulated ledger (the quotes fake, a real process): a valid
transaction pays its order once however often the order is delivered, two orders naming one
transaction cannot both be paid by it, and a ledger that does not answer delays the payment
instead of failing it."""

import asyncio
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest
from fedshop_common.crypto import CryptoSettings
from fedshop_common.events import CryptoQuote, PaymentDetails

from tests.support import (
    AMQP_URL,
    QueueReader,
    TcpProxy,
    TestBroker,
    serving,
)

from .conftest import PAYMENTS_QUEUE, PaymentsTable, order_placed, publish

SHOP_ETH = CryptoSettings().addresses["ETH"]


@pytest.fixture(scope="module")
def stack(make_stack):
    return make_stack("crypto-payments")


@pytest.fixture(scope="module")
def ledger_url(stack):
    with serving(stack, "payment-tests-ledger", "fedshop-quotes-fake", "quotes") as url:
        yield url


@pytest.fixture(scope="module")
def worker(stack, broker, start_worker, ledger_url):
    return start_worker(stack, "crypto", LEDGER_URL=ledger_url)


@pytest.fixture(scope="module")
def outcomes(broker, worker):
    return QueueReader(broker, PAYMENTS_QUEUE.name)


def transaction(ledger_url: str, amount: str = "0.02") -> str:
    made = httpx.post(
        f"{ledger_url}/ledger/transactions",
        json={"to": SHOP_ETH, "symbol": "ETH", "amount": amount},
    )
    made.raise_for_status()
    return made.json()["hash"]


def crypto_order(tx_hash: str, due: str = "0.02"):
    order = order_placed(total="60.00", card=None, method="crypto")
    quote = CryptoQuote(
        usd_rate=Decimal(3000), quoted_at=datetime.now(UTC), amount_due=Decimal(due)
    )
    order.payment = PaymentDetails(method="crypto", symbol="ETH", tx_hash=tx_hash, quote=quote)
    return order


async def test_a_valid_transaction_pays_once_when_its_order_is_delivered_twice(
    worker, broker, outcomes, payments_table, ledger_url
):
    order = crypto_order(transaction(ledger_url))
    await publish(broker, order)
    await publish(broker, order)  # a redelivery, as after a lost ack

    [outcome] = await outcomes.about(order.order_id, key="order_id")
    assert (outcome["status"], outcome["reason"]) == ("succeeded", None)
    await asyncio.sleep(1.0)  # time for the second delivery to be handled
    about_it = [b for b in await outcomes.drain() if b["order_id"] == str(order.order_id)]
    assert len(about_it) == 1
    assert [p["status"] for p in payments_table.of(order.order_id)] == ["succeeded"]


async def test_two_orders_naming_one_transaction_are_not_both_paid_by_it(
    worker, broker, outcomes, payments_table, ledger_url
):
    tx = transaction(ledger_url)
    first, second = crypto_order(tx), crypto_order(tx)
    await asyncio.gather(publish(broker, first), publish(broker, second))

    results = [(await outcomes.about(o.order_id, key="order_id"))[0] for o in (first, second)]
    assert sorted((r["status"], r["reason"]) for r in results) == [
        ("failed", "transaction already used"),
        ("succeeded", None),
    ]


async def test_a_ledger_that_does_not_answer_delays_the_payment_without_failing_it(
    make_stack, start_worker, ledger_url
):
    # Its own stack: only the worker whose ledger is behind a cut proxy takes this order.
    stack = make_stack("ledger-outage")
    proxy = TcpProxy("127.0.0.1", int(ledger_url.rsplit(":", 1)[1]))  # not listening yet
    broker = await TestBroker.connect(AMQP_URL, stack.namespace)
    table = None
    try:
        await broker.declare(PAYMENTS_QUEUE)
        start_worker(stack, "outage", LEDGER_URL=f"http://127.0.0.1:{proxy.port}")
        table = PaymentsTable(stack.database_url("payments"))
        order = crypto_order(transaction(ledger_url))
        await publish(broker, order)
        await asyncio.sleep(4)  # several tries (1 s apart in tests), each refused
        assert table.of(order.order_id) == []

        await proxy.start()  # the ledger answers again: the retried order is paid
        [outcome] = await QueueReader(broker, PAYMENTS_QUEUE.name).about(
            order.order_id, key="order_id"
        )
        assert (outcome["status"], outcome["reason"]) == ("succeeded", None)
        assert [p["status"] for p in table.of(order.order_id)] == ["succeeded"]
    finally:
        if table is not None:
            table.close()
        await broker.close()
        if proxy._server is not None:
            await proxy.cut()
