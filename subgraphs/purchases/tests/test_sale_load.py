"""2,000 signed-in users enter a sale of 100 units at once, against the real processes: exactly
100 purchase tokens, 100 units sold, no user twice, the rest told sold out; the sale worker
killed (SIGKILL) mid-way and started again changes none of this."""

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Iterable
from datetime import timedelta

import httpx
import pytest
from fedshop_users.auth.keys import load_signing_key
from sqlalchemy import create_engine, text

from tests.support import (
    AMQP_URL,
    ROOT,
    VENV_BIN,
    ServiceProcess,
    TestBroker,
    eventually,
    free_port,
)

from .sale import SECRET, buy, enter, exchange, new_sale, sign_in
from .shop import stock_of, stocked_item

USERS = 2_000
UNITS = 100
STOCK = 150
FIRST_USER_ID = 500_000
AT_ONCE = 64  # requests in flight from the test (the rest wait their turn)
KILL_AFTER_DECIDED = 40
LIFETIME = timedelta(minutes=15)
# 2,000 users through one purchases process: 74 s on a fast machine, past the default 120 s on
# a slow one; the load itself is bounded by USERS.
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def load_stack(make_stack):
    return make_stack("saleload")


@pytest.fixture(scope="module")
def customers(stack, users_url) -> dict[int, dict]:
    """2,000 users in the users service's database, and an access token for each, signed with
    the key that users service signs with (a sign-in each would be 2,000 Argon2 hashes)."""
    engine = create_engine(stack.database_url("users"))
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, first_name, last_name, email, role) "
                "SELECT n, 'Shopper', 'No. ' || n, 'shopper' || n || '@example.com', 'customer' "
                "FROM generate_series(:first, :last) AS n"
            ),
            {"first": FIRST_USER_ID, "last": FIRST_USER_ID + USERS - 1},
        )
    engine.dispose()
    key = load_signing_key("", str(ROOT / ".data"), dev=True)  # the users process's dev key
    return {
        user_id: {"Authorization": f"Bearer {key.access_token(user_id, 'customer', LIFETIME)}"}
        for user_id in range(FIRST_USER_ID, FIRST_USER_ID + USERS)
    }


@pytest.fixture(scope="module")
def processes(load_stack, users_url):
    """The purchases service and the sale worker, each its own process, on one database."""
    secret = {"SALE_TOKEN_SECRET": SECRET, "RATE_LIMITS": "off"}
    port, worker_port = free_port(), free_port()
    service = ServiceProcess(
        "sale-load-purchases",
        [str(VENV_BIN / "fedshop-purchases")],
        load_stack.env("purchases", port, USERS_URL=users_url, **secret),
    )
    url = f"http://127.0.0.1:{port}"
    worker = None
    try:
        service.wait_ready(f"{url}/health/ready")
        worker = ServiceProcess(
            "sale-load-worker",
            [str(VENV_BIN / "fedshop-sale-worker")],
            load_stack.env("purchases", worker_port, **secret),
        )
        worker.wait_ready(f"http://127.0.0.1:{worker_port}/health/ready")
        yield url, worker, f"http://127.0.0.1:{worker_port}/health/ready"
    finally:
        for process in (worker, service):
            if process is not None:
                process.stop()


async def all_at_once(calls: Iterable[Awaitable[httpx.Response]]) -> list[httpx.Response]:
    """Every call started now, at most AT_ONCE in flight (httpx slows down with thousands of
    requests waiting for its pool)."""
    gate = asyncio.Semaphore(AT_ONCE)

    async def gated(call: Awaitable[httpx.Response]) -> httpx.Response:
        async with gate:
            return await call

    return await asyncio.gather(*(gated(call) for call in calls))


async def test_two_thousand_users_for_a_hundred_units_with_the_worker_killed_mid_way(
    load_stack, users_url, customers, processes
):
    url, worker, worker_ready = processes
    database = create_engine(load_stack.database_url("purchases"))

    def queue() -> tuple[int, int, int]:
        """(entries decided, entries, units left)"""
        with database.connect() as connection:
            return tuple(
                connection.execute(text("SELECT decided, entered, units_left FROM sales")).one()
            )

    broker = await TestBroker.connect(AMQP_URL, load_stack.namespace)
    limits = httpx.Limits(max_connections=AT_ONCE)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        item = await stocked_item(client, broker, quantity=STOCK, price=800)
        await broker.close()
        admin = sign_in(users_url, "admin@fedshop.example", "fedshop-admin")
        sale = await new_sale(client, admin, item, units=UNITS, price=200)

        async def kill_the_worker_mid_way() -> tuple[int, int, int]:
            deadline = time.monotonic() + 120
            while (seen := await asyncio.to_thread(queue))[0] < KILL_AFTER_DECIDED:
                assert time.monotonic() < deadline, f"the worker decided only {seen}"
                await asyncio.sleep(0.01)
            worker.process.kill()  # SIGKILL: no shutdown, whatever it held in hand
            await asyncio.to_thread(worker.process.wait, 10)
            return seen

        killer = asyncio.create_task(kill_the_worker_mid_way())
        entered = await all_at_once(
            enter(client, sale["id"], headers) for headers in customers.values()
        )
        at_the_kill = await killer
        # Once every unit has its purchase token, the door itself says sold out.
        assert {r.status_code for r in entered} <= {200, 410}
        turned_away = [r.json()["detail"] for r in entered if r.status_code == 410]
        assert all(detail.startswith("sold out") for detail in turned_away)
        queue_tokens = {
            user: r.json()["queue_token"]
            for user, r in zip(customers, entered, strict=True)
            if r.status_code == 200
        }
        assert len(set(queue_tokens.values())) == len(queue_tokens) >= UNITS
        assert at_the_kill[0] < len(queue_tokens)  # it died with the queue still to decide

        await asyncio.to_thread(worker.start_again)
        await asyncio.to_thread(worker.wait_ready, worker_ready)

        async def all_decided() -> bool:
            return (await asyncio.to_thread(queue)) == (len(queue_tokens), len(queue_tokens), 0)

        await eventually(all_decided, within=120, every=0.2)

        exchanged = await all_at_once(
            exchange(client, token, customers[user]) for user, token in queue_tokens.items()
        )
        outcomes = Counter(r.status_code for r in exchanged)
        assert outcomes == {200: UNITS, 410: len(queue_tokens) - UNITS}, outcomes
        assert outcomes[410] + len(turned_away) == USERS - UNITS  # the rest told sold out
        winners = {
            user: r.json()["purchase_token"]
            for user, r in zip(queue_tokens, exchanged, strict=True)
            if r.status_code == 200
        }
        assert len(set(winners.values())) == UNITS
        # First come, first served: the units went to the first hundred places.
        with database.connect() as connection:
            first_places = set(
                connection.execute(
                    text("SELECT user_id FROM sale_entries WHERE seq <= :units"), {"units": UNITS}
                ).scalars()
            )
        assert set(winners) == first_places

        bought = await all_at_once(
            buy(client, token, customers[user]) for user, token in winners.items()
        )
        assert Counter(r.status_code for r in bought) == {201: UNITS}, [r.text for r in bought][:3]
        orders = [r.json() for r in bought]
        assert sorted(o["user_id"] for o in orders) == sorted(winners)  # no user twice
        assert {o["total"] for o in orders} == {200}
        assert await stock_of(client, item) == STOCK - UNITS
        again = await buy(client, next(iter(winners.values())), customers[next(iter(winners))])
        assert again.status_code == 409
    with database.connect() as connection:
        assert connection.execute(
            text("SELECT count(*), count(DISTINCT user_id) FROM orders")
        ).one() == (UNITS, UNITS)
    database.dispose()
