"""Measurement 5: the email worker's events per second (SMTP off: emails are logged) over a bare
aio-pika consumer that only acks, both draining the same number of queued purchase events.

Both run in a stack of their own (own database and broker namespace, no purchases service), so
nothing else consumes the worker's reports meanwhile. The events are queued first, then the
consumer starts; the worker's rate is timed from its first reservation to its last recorded
email (`emails.reserved_at` .. `sent_at`), the bare consumer's from its first delivery to its
last ack, so neither counts its start-up.
"""

import asyncio
import json
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import psycopg
from fedshop_common.events import ItemSnapshot, PurchaseCompleted, UserSnapshot
from fedshop_email_worker.queues import PURCHASES_QUEUE
from fedshop_email_worker.settings import EmailWorkerSettings

from bench.machine import Usage
from bench.plan import Plan
from bench.ratio import Ratio
from bench.system import remove_stack
from tests.support import AMQP_URL, VENV_BIN, ServiceProcess, Stack, TestBroker, free_port

PUBLISH_BATCH = 200
DRAIN_DEADLINE_SECONDS = 300


def _event(n: int) -> PurchaseCompleted:
    cheap = n % 2 == 0
    return PurchaseCompleted(
        purchase_id=uuid.uuid4(),
        status="succeeded" if cheap else "rejected",
        user=UserSnapshot(id=n, email=f"u{n}@example.com", first_name="Bench", last_name="User"),
        item=ItemSnapshot(
            id=1 if cheap else 3,
            name="Table" if cheap else "Lamp",
            price=Decimal(10 if cheap else 50),
        ),
    )


async def _queue_events(stack: Stack, count: int) -> None:
    """Publish `count` purchase events (declaring the topology first, as every service does)."""
    broker = await TestBroker.connect(AMQP_URL, stack.namespace)
    try:
        for start in range(0, count, PUBLISH_BATCH):
            events = [_event(n) for n in range(start, min(count, start + PUBLISH_BATCH))]
            await asyncio.gather(
                *(
                    broker.publish(e.routing_key, e.model_dump_json().encode(), str(e.event_id))
                    for e in events
                )
            )
    finally:
        await broker.close()


def _bare_consumer(stack: Stack, count: int, prefetch: int) -> dict:
    finished = subprocess.run(
        [
            str(VENV_BIN / "python"),
            "-m",
            "bench.bare_consumer",
            AMQP_URL,
            stack.namespace + PURCHASES_QUEUE.name,
            str(count),
            str(prefetch),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=DRAIN_DEADLINE_SECONDS,
    )
    return json.loads(finished.stdout)


def _emails(database: str) -> tuple[int, float]:
    """How many emails are recorded, and the seconds from the first reservation to the last."""
    with psycopg.connect(database) as db:
        count, seconds = db.execute(
            "SELECT count(*), extract(epoch FROM max(sent_at) - min(reserved_at)) "
            "FROM emails WHERE state = 'sent'"
        ).fetchone()
    return count, float(seconds or 0)


def _start_email_worker(stack: Stack) -> ServiceProcess:
    """The email worker of `stack`, SMTP off, once it is ready."""
    port = free_port()
    worker = ServiceProcess(
        f"{stack.name}-email-worker",
        [str(VENV_BIN / "fedshop-email-worker")],
        stack.env("emails", port, SMTP_URL=""),
    )
    try:
        worker.wait_ready(f"http://127.0.0.1:{port}/health")
    except BaseException:
        worker.stop()
        raise
    return worker


@contextmanager
def draining_email_worker(events: int) -> Iterator[int]:
    """For profiling (bench.profile): an email worker in a stack of its own, draining `events`
    queued purchase events; yields its pid."""
    stack = Stack("benchprofile")
    try:
        asyncio.run(_queue_events(stack, events))
        worker = _start_email_worker(stack)
        try:
            yield worker.process.pid
        finally:
            worker.stop()
    finally:
        remove_stack(stack)


def _email_worker(stack: Stack, count: int) -> dict:
    database = stack.database_url("emails").replace("postgresql+psycopg", "postgresql")
    worker = _start_email_worker(stack)
    try:
        deadline = time.monotonic() + DRAIN_DEADLINE_SECONDS
        already = _emails(database)[0]
        with Usage({"email-worker": worker.process.pid}) as usage:
            while (recorded := _emails(database)[0]) < count and time.monotonic() < deadline:
                time.sleep(0.2)
        seconds = _emails(database)[1]
    finally:
        worker.stop()
    cpu_ms = usage.cpu_seconds["email-worker"] * 1000 / max(1, recorded - already)
    return {
        "events": recorded,
        "seconds": round(seconds, 3),
        "per_second": round(recorded / seconds, 1) if seconds else 0.0,
        "cpu_ms_per_event": round(cpu_ms, 3),
        "machine_busy": usage.machine_busy,
    }


def worker_vs_bare_consumer(plan: Plan) -> Ratio:
    stack = Stack("benchworker")
    prefetch = EmailWorkerSettings().prefetch
    try:
        asyncio.run(_queue_events(stack, plan.worker_events))
        bare = _bare_consumer(stack, plan.worker_events, prefetch)
        asyncio.run(_queue_events(stack, plan.worker_events))
        worker = _email_worker(stack, plan.worker_events)
    finally:
        remove_stack(stack)
    return Ratio(
        5,
        "the email worker's events/s (SMTP off) vs a bare aio-pika consume-and-ack loop",
        f"email worker draining {plan.worker_events} queued purchase events, prefetch {prefetch}",
        f"aio-pika consumer that only acks, same queue, count and prefetch ({prefetch})",
        worker["per_second"],
        bare["per_second"],
        "events/s",
        {"worker": worker, "bare_consumer": bare},
    )
