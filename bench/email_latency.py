"""Measurement 4: from a purchase to its email, at a steady 100 purchases/s and at the highest
rate the pipeline sustains; none lost.

A run POSTs purchases at a fixed rate, waits for every one of them to show its email
(`email_status` sent, i.e. `purchases.email_sent_at`), and reads the latency of each from the two
databases: the email worker's `emails.sent_at` (recorded, committed) minus the purchase's
`created_at`. A purchase without its email by the deadline is lost; dead letters are counted
too.

The ratio: the highest rate at which the emails keep up, over the rate `POST /purchase` answers
when driven flat out (which leaves a backlog of emails behind it).
"""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import aio_pika
import psycopg

from bench.load import JSON_HEADERS, LoadResult, requests_of, run_load
from bench.plan import Plan
from bench.ratio import Ratio
from bench.seed import purchase_bodies
from bench.system import BenchSystem
from tests.support import ALL_QUEUES, AMQP_URL, ORDER_EVENTS_QUEUE

# A rate is sustained when the driver kept to it, no email was lost, no email took longer than
# this (p99), and all were in this soon after the last purchase: no backlog was building up.
KEPT_RATE = 0.95
LATENCY_BOUND_SECONDS = 1.0
OPEN_LOOP_CONNECTIONS = 64


@dataclass
class PipelineRun:
    rate: float  # asked for
    load: LoadResult
    purchases: int
    emails: int
    lost: int  # purchases without their email recorded by the deadline
    dead_lettered: int
    catch_up_seconds: float  # after the last purchase, until every email was recorded
    latency_ms: dict[str, float]

    @property
    def sustained(self) -> bool:
        return (
            self.lost == 0
            and self.dead_lettered == 0
            and self.load.errors == 0
            and self.load.per_second >= KEPT_RATE * self.rate
            and self.catch_up_seconds <= LATENCY_BOUND_SECONDS
            and self.latency_ms.get("p99", float("inf")) <= LATENCY_BOUND_SECONDS * 1000
        )

    @property
    def emails_per_second(self) -> float:
        return self.emails / (self.load.seconds + self.catch_up_seconds)

    def as_json(self) -> dict:
        return {
            "rate_asked": self.rate,
            "purchases_per_second": round(self.load.per_second, 1),
            "purchases": self.purchases,
            "emails": self.emails,
            "lost": self.lost,
            "dead_lettered": self.dead_lettered,
            "catch_up_seconds": round(self.catch_up_seconds, 2),
            "sustained": self.sustained,
            "purchase_to_email_ms": self.latency_ms,
            "post_purchase": self.load.as_json(),
        }


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {}

    def at(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 1)

    return {"p50": at(50), "p99": at(99), "max": ordered[-1]}


def _purchases_since(system: BenchSystem, since: datetime) -> dict[str, tuple[datetime, bool]]:
    """Purchase id -> (created_at, whether it shows its email)."""
    with psycopg.connect(system.libpq_url("purchases")) as db:
        rows = db.execute(
            "SELECT id::text, created_at, email_sent_at IS NOT NULL FROM purchases "
            "WHERE created_at >= %s",
            (since,),
        ).fetchall()
    return {purchase_id: (created, reported) for purchase_id, created, reported in rows}


def _emails_recorded(system: BenchSystem, purchase_ids: list[str]) -> dict[str, datetime]:
    with psycopg.connect(system.libpq_url("emails")) as db:
        rows = db.execute(
            "SELECT purchase_id::text, sent_at FROM emails "
            "WHERE purchase_id = ANY(%s::uuid[]) AND state = 'sent'",
            (purchase_ids,),
        ).fetchall()
    return dict(rows)


# The services' own queues; a test's observer queue is not declared in a bench run.
SERVICE_QUEUES = tuple(queue for queue in ALL_QUEUES if queue is not ORDER_EVENTS_QUEUE)


async def _dead_letters(system: BenchSystem) -> int:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        total = 0
        for queue in SERVICE_QUEUES:
            name = queue.dlq(system.stack.namespace)
            declared = await channel.declare_queue(name, passive=True)
            total += declared.declaration_result.message_count or 0
    return total


def _post_purchases(system: BenchSystem, bodies: list[dict]) -> dict:
    url = f"{system.running.purchases_url}/purchase"
    return requests_of(
        *({"url": url, "method": "POST", "headers": JSON_HEADERS, "body": b} for b in bodies)
    )


def _watched(system: BenchSystem) -> dict[str, int]:
    return {name: system.pids[name] for name in ("purchases", "users", "email-worker")}


def run_at(system: BenchSystem, bodies: list[dict], rate: float, seconds: float) -> PipelineRun:
    since = datetime.now(UTC)
    load = run_load(
        _post_purchases(system, bodies),
        duration=seconds,
        connections=OPEN_LOOP_CONNECTIONS,
        rate=rate,
        watch=_watched(system),
    )
    catch_up = system.wait_for_emails(since)
    purchases = _purchases_since(system, since)
    sent = _emails_recorded(system, list(purchases))
    latencies = [
        (sent[purchase_id] - created).total_seconds() * 1000
        for purchase_id, (created, _) in purchases.items()
        if purchase_id in sent
    ]
    lost = sum(1 for p, (_, reported) in purchases.items() if not reported or p not in sent)
    dead_lettered = asyncio.run(_dead_letters(system))
    return PipelineRun(
        rate,
        load,
        len(purchases),
        len(sent),
        lost,
        dead_lettered,
        catch_up,
        _percentiles(latencies),
    )


def flat_out(system: BenchSystem, bodies: list[dict], plan: Plan) -> LoadResult:
    """POST /purchase as fast as it answers; then wait for the emails to catch up."""
    since = datetime.now(UTC)
    result = run_load(
        _post_purchases(system, bodies),
        duration=plan.load_seconds / 2,
        connections=plan.connections,
        watch=_watched(system),
    )
    system.wait_for_emails(since)
    return result


def _kept_up_with(run: PipelineRun) -> float:
    """A little under the rate the emails kept up with in a run that fell behind."""
    return 0.95 * min(run.emails_per_second, run.load.per_second, run.rate)


def highest_sustained(
    system: BenchSystem, bodies: list[dict], plan: Plan, front_door: float, steady: PipelineRun
) -> list[PipelineRun]:
    """Search the highest sustained rate: start under the front door's rate (or under what the
    emails kept up with in the steady run, if they fell behind), step down under what they kept
    up with until a rate holds, then halve the gap to the lowest rate that did not."""
    held = steady.rate if steady.sustained else 0.0
    failed = front_door if steady.sustained else steady.rate
    rate = 0.9 * front_door if steady.sustained else _kept_up_with(steady)
    runs = []
    for _ in range(plan.probe_attempts):
        run = run_at(system, bodies, round(rate), plan.probe_seconds)
        runs.append(run)
        if run.sustained:
            held = max(held, run.rate)
        else:
            failed = min(failed, run.rate)
        if failed <= held * 1.1:
            break
        rate = (held + failed) / 2 if held else _kept_up_with(run)
    return runs


def pipeline_vs_front_door(system: BenchSystem, plan: Plan, user_ids: list[int]) -> Ratio:
    bodies = purchase_bodies(user_ids, 1000)
    steady = run_at(system, bodies, plan.steady_rate, plan.steady_seconds)
    front_door = flat_out(system, bodies, plan)
    probes = highest_sustained(system, bodies, plan, front_door.per_second, steady)
    held = [run for run in [steady, *probes] if run.sustained]
    best = max(held, key=lambda run: run.rate, default=None)
    return Ratio(
        4,
        "purchases/s with every email recorded in step vs POST /purchase flat out",
        "the highest rate at which purchases were taken and their emails kept up",
        f"POST /purchase driven flat out over {plan.connections} connections",
        best.load.per_second if best else 0.0,
        front_door.per_second,
        "purchases/s",
        {
            "steady": steady.as_json(),
            "highest_sustained": best.as_json() if best else None,
            "front_door": front_door.as_json(),
            "attempts": [run.as_json() for run in probes],
        },
    )
