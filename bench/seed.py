"""The bench's data, made through the public REST API: more users, and purchases for them."""

import asyncio
import time
from collections.abc import Awaitable, Iterable
from datetime import UTC, datetime

import httpx

from bench.system import BenchSystem

CHEAP_ITEM, DEAR_ITEM = 1, 3  # Table 10 (succeeds), Lamp 50 (rejected)
ITEMS = range(1, 10)  # the seeded items: prices on both sides of 50
CONCURRENCY = 16


async def _bounded(calls: Iterable[Awaitable]) -> list:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(call: Awaitable):
        async with gate:
            return await call

    return await asyncio.gather(*(one(call) for call in calls))


async def _created(client: httpx.AsyncClient, url: str, body: dict) -> dict:
    response = await client.post(url, json=body)
    response.raise_for_status()
    return response.json()


async def add_users_up_to(users_url: str, total: int) -> list[int]:
    """Create users until there are `total`; returns every user id."""
    async with httpx.AsyncClient(timeout=30) as client:
        existing = (await client.get(f"{users_url}/users")).json()
        new = [
            {"first_name": "Bench", "last_name": f"User {n}", "email": f"bench.user{n}@example.com"}
            for n in range(len(existing), total)
        ]
        created = await _bounded(_created(client, f"{users_url}/users", body) for body in new)
    return sorted(user["id"] for user in [*existing, *created])


async def buy(purchases_url: str, purchases: Iterable[tuple[int, int]]) -> list[dict]:
    """POST /purchase for each (user_id, item_id)."""
    async with httpx.AsyncClient(timeout=30) as client:
        return await _bounded(
            _created(client, f"{purchases_url}/purchase", {"user_id": user, "item_id": item})
            for user, item in purchases
        )


def seed_users(system: BenchSystem, total: int) -> list[int]:
    return asyncio.run(add_users_up_to(system.running.users_url, total))


def seed_purchases(system: BenchSystem, purchases: list[tuple[int, int]]) -> None:
    """Buy, then wait for the emails, so that the worker is idle when the measuring starts."""
    since = datetime.now(UTC)
    asyncio.run(buy(system.running.purchases_url, purchases))
    system.wait_for_emails(since)


def purchase_bodies(user_ids: list[int], count: int) -> list[dict]:
    """`count` different purchase requests, over every user and every item."""
    return [
        {"user_id": user_ids[n % len(user_ids)], "item_id": ITEMS[n % len(ITEMS)]}
        for n in range(count)
    ]


ADMIN = ("admin@fedshop.example", "fedshop-admin")


async def warehouse_item(
    client: httpx.AsyncClient, system: BenchSystem, name: str, price: float, units: int
) -> tuple[dict, dict]:
    """A new warehouse item with `units` in stock, once the shop's copy has it; and the admin's
    Authorization header that made it."""
    running = system.running
    signed_in = await client.post(
        f"{running.users_url}/auth/token", data={"username": ADMIN[0], "password": ADMIN[1]}
    )
    admin = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    body = {"item": {"name": name, "price": price, "quantity": units}}
    item = (await client.post(f"{running.inventory_url}/api/item", json=body, headers=admin)).json()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the shop's copy has the item and its units
        items = (await client.get(f"{running.purchases_url}/items")).json()
        if any(i["id"] == item["id"] and i["quantity"] == units for i in items):
            break
        await asyncio.sleep(0.2)
    return item, admin
