"""P8, the flash-sale rush: 500 concurrent buyers (REST and the mutation through the router,
mixed, 20 at a time) for one warehouse item with 50 units. Never oversold: exactly 50 sold, the
rest rejected `out_of_stock`; reported with the purchases per second the rush was served at."""

import asyncio
import time
import uuid

import httpx

from bench.seed import warehouse_item
from bench.system import BenchSystem

BUYERS, UNITS, CONCURRENCY = 500, 50, 20
BUY = "mutation($u: ID!, $i: ID!) { purchase(userId: $u, itemId: $i) { status reason } }"


async def _rush(system: BenchSystem, buyers: int, units: int) -> dict:
    running = system.running
    async with httpx.AsyncClient(timeout=30) as client:
        name = f"P8 {uuid.uuid4().hex[:8]}"
        item, _ = await warehouse_item(client, system, name, price=5, units=units)

        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(n: int) -> tuple[str, str | None]:
            async with gate:
                if n % 2:
                    answer = await client.post(
                        running.graphql_url,
                        json={"query": BUY, "variables": {"u": str(n % 5 + 1), "i": item["id"]}},
                    )
                    bought = answer.json()["data"]["purchase"]
                    return bought["status"].lower(), (bought["reason"] or "").lower() or None
                answer = await client.post(
                    f"{running.purchases_url}/purchase",
                    json={"user_id": n % 5 + 1, "item_id": item["id"]},
                )
                return answer.json()["status"], answer.json()["reason"]

        started = time.monotonic()
        outcomes = await asyncio.wait_for(asyncio.gather(*(one(n) for n in range(buyers))), 300)
        seconds = time.monotonic() - started
        left = next(
            i["quantity"]
            for i in (await client.get(f"{running.purchases_url}/items")).json()
            if i["id"] == item["id"]
        )
    return {
        "buyers": buyers,
        "units": units,
        "sold": sum(1 for status, _ in outcomes if status == "succeeded"),
        "out_of_stock": sum(1 for _, reason in outcomes if reason == "out_of_stock"),
        "stock_left": left,
        "seconds": round(seconds, 2),
        "purchases_per_second": round(buyers / seconds, 1),
    }


def stock_race(system: BenchSystem, buyers: int = BUYERS, units: int = UNITS) -> dict:
    return asyncio.run(_rush(system, buyers, units))
