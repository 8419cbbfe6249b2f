"""Checkouts end to end: N checkouts of two lines (10 at a time, REST), each reserved, paid by the
payment worker over the broker and confirmed by email. Reports the checkouts per second the shop
accepted them at, how many were paid and emailed, and checkout -> paid (`orders.settled_at -
placed_at`, both written by the shop) as p50 / p99."""

import asyncio
import statistics
import time

import httpx
import psycopg

from bench.seed import CHEAP_ITEM, DEAR_ITEM
from bench.system import BenchSystem

CONCURRENCY = 10
SETTLED_DEADLINE_SECONDS = 180.0


async def _place(system: BenchSystem, count: int) -> tuple[list[str], float]:
    gate = asyncio.Semaphore(CONCURRENCY)
    lines = [{"item_id": CHEAP_ITEM, "quantity": 2}, {"item_id": DEAR_ITEM, "quantity": 1}]
    async with httpx.AsyncClient(base_url=system.running.purchases_url, timeout=30) as client:

        async def one(n: int) -> str:
            async with gate:
                placed = await client.post(
                    "/api/checkout", json={"user_id": n % 5 + 1, "items": lines}
                )
                placed.raise_for_status()
                return placed.json()["id"]

        started = time.monotonic()
        ids = await asyncio.wait_for(asyncio.gather(*(one(n) for n in range(count))), 300)
    return ids, time.monotonic() - started


def _settled(system: BenchSystem, ids: list[str]) -> list[tuple]:
    """(status, seconds to settle, emailed) of each order, once all are settled and emailed or
    the deadline passed."""
    deadline = time.monotonic() + SETTLED_DEADLINE_SECONDS
    with psycopg.connect(system.libpq_url("purchases"), autocommit=True) as db:
        while True:
            rows = db.execute(
                "SELECT status, extract(epoch FROM settled_at - placed_at), "
                "email_sent_at IS NOT NULL FROM orders WHERE id::text = ANY(%s)",
                (ids,),
            ).fetchall()
            done = all(status != "awaiting_payment" and emailed for status, _, emailed in rows)
            if done or time.monotonic() > deadline:
                return rows
            time.sleep(0.2)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def checkouts(system: BenchSystem, count: int) -> dict:
    ids, seconds = asyncio.run(_place(system, count))
    rows = _settled(system, ids)
    to_paid = [float(took) for status, took, _ in rows if status == "paid"]
    return {
        "checkouts": count,
        "seconds": round(seconds, 2),
        "checkouts_per_second": round(count / seconds, 1),
        "paid": len(to_paid),
        "paid_and_emailed": sum(1 for status, _, emailed in rows if status == "paid" and emailed),
        "to_paid_ms": {
            "p50": round(1000 * statistics.median(to_paid)) if to_paid else None,
            "p99": round(1000 * _percentile(to_paid, 0.99)) if to_paid else None,
        },
    }
