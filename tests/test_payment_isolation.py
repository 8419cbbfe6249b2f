"""The shop and the payment worker are joined only by the broker: with the shop (purchases)
stopped after checkouts, the payment worker still pays each order; when the shop is back, every
order reaches PAID once, with one payment and one confirmation email each. Real processes."""

import asyncio

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.graphql_client import TABLE
from tests.support import eventually
from tests.system import start_system

ORDERS = 5
pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def stack(make_stack):
    return make_stack("isolation")


@pytest.fixture(scope="module")
def system(stack):
    running = start_system(stack)
    yield running
    running.stop()


def payments_for(stack, order_ids: list[str]) -> int:
    url = make_url(stack.database_url("payments")).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as db:
        return db.execute(
            "SELECT count(*) FROM payments WHERE order_id::text = ANY(%s)", (order_ids,)
        ).fetchone()[0]


async def test_the_payment_worker_pays_while_the_shop_is_down(system, stack):
    async with httpx.AsyncClient(base_url=system.purchases_url, timeout=20) as client:
        placed = [
            await client.post(
                "/api/checkout",
                json={"user_id": 1, "items": [{"item_id": int(TABLE), "quantity": 2}]},
            )
            for _ in range(ORDERS)
        ]
    assert [answer.status_code for answer in placed] == [201] * ORDERS
    order_ids = [answer.json()["id"] for answer in placed]

    purchases = next(p for p in system.processes if p.name.endswith("-purchases"))
    purchases.stop()
    try:
        # The worker has only the broker: every order is paid while the shop is down.
        async def all_paid() -> bool:
            return await asyncio.to_thread(payments_for, stack, order_ids) == ORDERS

        await eventually(all_paid, within=60, every=0.5)
    finally:
        purchases.start_again()
        purchases.wait_ready(f"{system.purchases_url}/health/ready")

    async with httpx.AsyncClient(base_url=system.purchases_url, timeout=20) as client:

        async def settled_and_emailed() -> list[dict]:
            orders = [(await client.get(f"/api/orders/{i}")).json() for i in order_ids]
            done = all(o["status"] == "paid" and o["email"] for o in orders)
            return orders if done else []

        orders = await eventually(settled_and_emailed, within=90, every=0.5)
    assert {o["email"]["kind"] for o in orders} == {"order_confirmation"}
    assert await asyncio.to_thread(payments_for, stack, order_ids) == ORDERS
