"""Stock is never oversold: the whole system (real processes), a warehouse item with counted
units, many concurrent buyers over REST and through the router, and the warehouse stopped
while the shop sells."""

import asyncio
import random
import time
import uuid
from urllib.parse import urlparse

import httpx
import pytest

from tests.graphql_client import execute
from tests.support import VENV_BIN, ServiceProcess, eventually
from tests.system import start_system

ADMIN = ("admin@fedshop.example", "fedshop-admin")
BUY = """mutation($u: ID!, $i: ID!) {
  purchase(userId: $u, itemId: $i) { id status reason price }
}"""
BUYERS, UNITS, CONCURRENCY = 500, 50, 20


@pytest.fixture(scope="module")
def stack(make_stack):
    return make_stack("stock")


@pytest.fixture(scope="module")
def system(stack):
    # One client address buys 500 times here: the per-client purchase limit is off.
    running = start_system(stack, RATE_LIMITS="off")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def admin(system) -> dict:
    response = httpx.post(
        f"{system.users_url}/auth/token", data={"username": ADMIN[0], "password": ADMIN[1]}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def new_item(system, admin, quantity: int | None, price: float = 5) -> dict:
    body = {"item": {"name": f"Parrot food {uuid.uuid4().hex[:8]}", "price": price}}
    body["item"]["quantity"] = quantity
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(f"{system.inventory_url}/api/item", json=body, headers=admin)
    assert response.status_code == 201, response.text
    item = response.json()
    await shop_shows(system, item["id"], quantity)
    return item


async def shop_item(system, item_id: int) -> dict | None:
    async with httpx.AsyncClient(timeout=10) as client:
        items = (await client.get(f"{system.purchases_url}/items")).json()
    return next((i for i in items if i["id"] == item_id), None)


async def shop_shows(system, item_id: int, quantity: int | None, within: float = 30) -> dict:
    async def probe() -> dict | None:
        found = await shop_item(system, item_id)
        return found if found and found["quantity"] == quantity else None

    return await eventually(probe, within=within, every=0.2)


async def warehouse_shows(system, item_id: int, quantity: int, within: float = 60) -> dict:
    async def probe() -> dict | None:
        async with httpx.AsyncClient(timeout=10) as client:
            items = (await client.get(f"{system.inventory_url}/api/items")).json()
        found = next(i for i in items if i["id"] == item_id)
        return found if found["quantity"] == quantity else None

    return await eventually(probe, within=within, every=0.3)


async def buy(client: httpx.AsyncClient, system, item_id: int, over_graphql: bool) -> dict:
    user = random.randint(1, 5)
    if over_graphql:
        answer = await execute(system.graphql_url, BUY, u=str(user), i=str(item_id))
        bought = answer["purchase"]
        reason = (bought["reason"] or "").lower() or None
        return {"id": bought["id"], "status": bought["status"].lower(), "reason": reason}
    response = await client.post("/purchase", json={"user_id": user, "item_id": item_id})
    assert response.status_code == 201, response.text
    return response.json()


async def buy_many(system, item_id: int, count: int) -> list[dict]:
    gate = asyncio.Semaphore(CONCURRENCY)
    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(
        base_url=system.purchases_url, timeout=30, limits=limits
    ) as client:

        async def one(n: int) -> dict:
            async with gate:
                return await buy(client, system, item_id, over_graphql=n % 2 == 1)

        return await asyncio.wait_for(asyncio.gather(*(one(n) for n in range(count))), 240)


async def emails_reported(system, purchase_ids: list[str], within: float = 180) -> None:
    pending = set(purchase_ids)
    async with httpx.AsyncClient(base_url=system.purchases_url, timeout=10) as client:

        async def probe() -> bool:
            for purchase_id in list(pending)[:100]:
                found = (await client.get(f"/purchases/{purchase_id}")).json()
                if found["email_status"] == "sent":
                    pending.discard(purchase_id)
            return not pending

        await eventually(probe, within=within, every=0.5)


@pytest.mark.timeout(600)
async def test_500_concurrent_buyers_of_50_units(system, admin):
    item = await new_item(system, admin, UNITS)
    started = time.monotonic()
    outcomes = await buy_many(system, item["id"], BUYERS)
    elapsed = time.monotonic() - started
    succeeded = [o for o in outcomes if o["status"] == "succeeded"]
    sold_out = [o for o in outcomes if (o["status"], o["reason"]) == ("rejected", "out_of_stock")]
    assert (len(succeeded), len(sold_out)) == (UNITS, BUYERS - UNITS), elapsed
    assert (await shop_item(system, item["id"]))["quantity"] == 0
    # The warehouse hears of every sale: on hand = 50 adjusted - 50 sold.
    await warehouse_shows(system, item["id"], 0)
    await emails_reported(system, [o["id"] for o in outcomes])
    async with httpx.AsyncClient(base_url=system.purchases_url, timeout=10) as client:
        sample = (await client.get(f"/purchases/{sold_out[0]['id']}")).json()
    assert sample["email"]["kind"] == "rejection"
    assert "sold out" in sample["email"]["subject"]


def inventory_process(system) -> ServiceProcess:
    return next(p for p in system.processes if p.name.endswith("-inventory"))


def restart_inventory(system, stack) -> None:
    port = urlparse(system.inventory_url).port
    env = {
        **stack.env("inventory", port, USERS_URL=system.users_url),
        "ROUTER_SHARED_SECRET": system.router_secret,
        "RATE_LIMITS": "off",
    }
    process = ServiceProcess(
        f"{stack.name}-inventory-again", [str(VENV_BIN / "fedshop-inventory")], env
    )
    system.processes.append(process)
    process.wait_ready(f"{system.inventory_url}/health/ready")


@pytest.mark.timeout(300)
async def test_the_shop_sells_while_the_warehouse_is_down_and_nothing_is_lost(system, stack, admin):
    item = await new_item(system, admin, 30)
    warehouse = inventory_process(system)
    warehouse.stop()
    system.processes.remove(warehouse)
    try:
        # The shop lists and sells without the warehouse, over REST and through the router.
        listed = await execute(system.graphql_url, "{ items { id name quantity } }")
        assert {"id": str(item["id"]), "name": item["name"], "quantity": 30} in listed["items"]
        outcomes = await buy_many(system, item["id"], 10)
        assert all(o["status"] == "succeeded" for o in outcomes)
        assert (await shop_item(system, item["id"]))["quantity"] == 20
    finally:
        restart_inventory(system, stack)
    # The sales made meanwhile reach the warehouse once it is back.
    await warehouse_shows(system, item["id"], 20)
    # A restock racing sales: neither is lost.
    async with httpx.AsyncClient(timeout=10) as client:

        async def restock() -> None:
            for _ in range(5):
                response = await client.post(
                    f"{system.graphql_url}",
                    json={
                        "query": "mutation($i: ID!) { adjustStock(itemId: $i, delta: 4, "
                        'reason: "restock") { quantity } }',
                        "variables": {"i": str(item["id"])},
                    },
                    headers=admin,
                )
                assert "errors" not in response.json(), response.text

        sales, _ = await asyncio.gather(buy_many(system, item["id"], 15), restock())
    assert all(o["status"] == "succeeded" for o in sales)
    # 30 - 10 - 15 + 5 * 4
    await shop_shows(system, item["id"], 25)
    await warehouse_shows(system, item["id"], 25)
