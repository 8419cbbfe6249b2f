"""P7, the flash sale: 2,000 signed-in users enter the queue of a sale of 100 units at once (50
requests in flight), the sale worker decides, the winners exchange their queue tokens and buy.
Once the units are all given, `enter` itself answers 410 sold out. Reported: units sold, p50/p99
of `enter`, and the time from the first `enter` until the last purchase token is written (and
until the whole queue is decided).

`python -m bench.sale_rush` runs P7 alone on a system of its own; `make bench` runs it with the
rest."""

import asyncio
import json
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
from fedshop_users.auth.keys import load_signing_key

from bench import report
from bench.machine import describe, load_average
from bench.seed import add_users_up_to, warehouse_item
from bench.system import BenchSystem, bench_system
from tests.support import ROOT

USERS, UNITS, CONCURRENCY = 2_000, 100, 50
DEADLINE_SECONDS = 300


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def _gated(calls) -> list:  # noqa: ANN001 (awaitables)
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(call):  # noqa: ANN001, ANN202
        async with gate:
            return await call

    return await asyncio.gather(*(one(call) for call in calls))


async def _timed(call) -> tuple[httpx.Response, float]:  # noqa: ANN001
    started = time.perf_counter()
    response = await call
    return response, (time.perf_counter() - started) * 1000


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


async def _rush(system: BenchSystem, users: int, units: int) -> dict:
    running = system.running
    user_ids = (await add_users_up_to(running.users_url, users + 10))[-users:]
    # Signed in without 2,000 Argon2 sign-ins: tokens from the key the users process signs with.
    key = load_signing_key("", str(ROOT / ".data"), dev=True)
    tokens = {u: _bearer(key.access_token(u, "customer", timedelta(minutes=30))) for u in user_ids}
    purchases = running.purchases_url
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=64)) as client:
        name = f"P7 {uuid.uuid4().hex[:8]}"
        item, admin = await warehouse_item(client, system, name, price=900, units=units)
        now = time.time()
        sale = (
            await client.post(
                f"{purchases}/api/sales",
                json={
                    "item_id": item["id"],
                    "price": 99,
                    "units": units,
                    "starts_at": _iso(now - 1),
                    "ends_at": _iso(now + 3600),
                },
                headers=admin,
            )
        ).json()

        started = time.perf_counter()
        wall_start = time.time()
        entered = await _gated(
            _timed(
                client.get(f"{purchases}/api/queue/enter", params={"sale": sale["id"]}, headers=h)
            )
            for h in tokens.values()
        )
        enter_seconds = time.perf_counter() - started
        decided = await asyncio.to_thread(_wait_decided, system, sale["id"])
        queued = [
            (r.json()["queue_token"], h)
            for (r, _), h in zip(entered, tokens.values(), strict=True)
            if r.status_code == 200
        ]
        exchanged = await _gated(
            client.post(
                f"{purchases}/api/queue/exchange-qt-for-pt", json={"queue_token": qt}, headers=h
            )
            for qt, h in queued
        )
        winners = [
            (r.json()["purchase_token"], h)
            for r, (_, h) in zip(exchanged, queued, strict=True)
            if r.status_code == 200
        ]
        bought = await _gated(
            client.post(f"{purchases}/api/shop/purchase", json={"purchase_token": pt}, headers=h)
            for pt, h in winners
        )
    latencies = [ms for _, ms in entered]
    return {
        "users": users,
        "units": units,
        "entered": len(queued),
        "purchase_tokens": len(winners),
        # Told at the door (410 from `enter` once no unit is left) or at the exchange (410).
        "told_sold_out": sum(1 for r, _ in entered if r.status_code == 410)
        + sum(1 for r in exchanged if r.status_code == 410),
        "units_sold": sum(1 for r in bought if r.status_code == 201),
        "enter_ms": {
            "p50": _percentile(latencies, 0.50),
            "p99": _percentile(latencies, 0.99),
            "max": round(max(latencies), 1),
        },
        "enter_seconds": round(enter_seconds, 2),
        "enters_per_second": round(users / enter_seconds, 1),
        "last_purchase_token_seconds": round(decided["last_purchase_token"] - wall_start, 2),
        "queue_decided_seconds": round(decided["last_decision"] - wall_start, 2),
    }


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _wait_decided(system: BenchSystem, sale_id: str) -> dict:
    """When (epoch seconds) the last purchase token and the last decision were written, once
    every entry is decided (called after the last `enter`)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    with psycopg.connect(system.libpq_url("purchases"), autocommit=True) as db:
        while time.monotonic() < deadline:
            row = db.execute(
                "SELECT decided = entered, "
                "extract(epoch FROM (SELECT max(decided_at) FROM sale_entries "
                "  WHERE sale_id = %(s)s AND purchase_jti IS NOT NULL)), "
                "extract(epoch FROM (SELECT max(decided_at) FROM sale_entries "
                "  WHERE sale_id = %(s)s)) "
                "FROM sales WHERE id = %(s)s",
                {"s": sale_id},
            ).fetchone()
            if row[0]:
                return {"last_purchase_token": float(row[1]), "last_decision": float(row[2])}
            time.sleep(0.1)
    raise TimeoutError(f"the sale worker had not decided the queue in {DEADLINE_SECONDS} s")


def sale_rush(system: BenchSystem, users: int = USERS, units: int = UNITS) -> dict:
    return asyncio.run(_rush(system, users, units))


if __name__ == "__main__":
    started = datetime.now(UTC)
    results: dict = {
        "started": started.isoformat(timespec="seconds"),
        "quick": False,
        "only": "p7",
        "machine": describe(),
        "load_average_before": load_average(),
    }
    with bench_system() as running_system:
        results["p7"] = sale_rush(running_system)
    results["load_average_after"] = load_average()
    results["seconds"] = round((datetime.now(UTC) - started).total_seconds())
    path = report.write(results)
    print(json.dumps(results["p7"], indent=2), file=sys.stderr)
    print(report.p7_line(results["p7"]))
    print(f"written to {path.relative_to(path.parent.parent.parent)}")
