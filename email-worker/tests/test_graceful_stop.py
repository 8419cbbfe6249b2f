"""SIGTERM with emails in flight: the worker process finishes what it holds and exits; after a
restart every purchase has exactly one email."""

import asyncio
import signal
import uuid

import pytest
from fedshop_common.events import ItemSnapshot, PurchaseCompleted, UserSnapshot

from tests.support import (
    AMQP_URL,
    VENV_BIN,
    QueueReader,
    ServiceProcess,
    TestBroker,
    eventually,
    free_port,
)

PURCHASES = 30
ADA = UserSnapshot(id=1, email="ada.lovelace@example.com", first_name="Ada", last_name="Lovelace")


@pytest.fixture(scope="module")
def stack(make_stack):
    return make_stack("emailstop")


@pytest.fixture(scope="module")
def slow_smtp(make_smtp):
    return make_smtp(seconds_per_message=0.1)


def start_worker(stack, smtp_url: str, run: str) -> ServiceProcess:
    port = free_port()
    worker = ServiceProcess(
        f"email-worker-graceful-stop-{run}",
        [str(VENV_BIN / "fedshop-email-worker")],
        stack.env("emails", port, SMTP_URL=smtp_url, PREFETCH="5"),
    )
    worker.wait_ready(f"http://127.0.0.1:{port}/health")
    return worker


async def test_sigterm_finishes_the_emails_in_hand_and_loses_none(stack, slow_smtp):
    first = await asyncio.to_thread(start_worker, stack, slow_smtp.url, "first")
    broker = await TestBroker.connect(AMQP_URL, stack.namespace)
    try:
        events = [
            PurchaseCompleted(
                purchase_id=uuid.uuid4(),
                status="succeeded",
                user=ADA,
                item=ItemSnapshot(id=2, name="Chair", price="20"),
            )
            for _ in range(PURCHASES)
        ]
        for event in events:
            await broker.publish(
                event.routing_key, event.model_dump_json().encode(), str(event.event_id)
            )

        async def sending() -> bool:
            return len(slow_smtp.messages) >= 3

        await eventually(sending)
        first.process.send_signal(signal.SIGTERM)
        # uvicorn shuts down cleanly, then exits by the signal it caught
        assert await asyncio.to_thread(first.process.wait, 20) in (0, -signal.SIGTERM)
        first.stop()
        log = first.log_path.read_text()
        assert "finishing messages in hand" in log and "Application shutdown complete" in log
        assert len(slow_smtp.messages) < PURCHASES, "none left for the restart: send more"

        second = await asyncio.to_thread(start_worker, stack, slow_smtp.url, "second")
        try:
            reports = QueueReader(broker, "purchases.email-status")
            for event in events:
                await reports.about(event.purchase_id)
        finally:
            second.stop()
    finally:
        await broker.close()

    for event in events:
        assert len(slow_smtp.received_for(event.purchase_id)) == 1
    assert len(slow_smtp.messages) == PURCHASES
