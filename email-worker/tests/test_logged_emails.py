"""Without SMTP (`make dev`, the bench) the emails in hand are recorded in one transaction: a
burst with duplicates still records one email per purchase and reports every delivery, and an
email that cannot be stored fails alone, not the batch it came in."""

import asyncio
import uuid

import pytest
from fedshop_common.events import UserSnapshot
from fedshop_email_worker.app import create_app
from fedshop_email_worker.settings import EmailWorkerSettings
from sqlalchemy import create_engine, text

from tests.support import AMQP_URL, QueueReader, TestBroker, eventually, started

from .test_worker import DeadLetters, failed_attempts, publish, purchase_event

ADA = UserSnapshot(id=1, email="ada@example.com", first_name="Ada", last_name="Lovelace")


@pytest.fixture(scope="module")
def stack(make_stack):
    return make_stack("logged-emails")


@pytest.fixture(scope="module")
async def broker(stack):
    settings = EmailWorkerSettings(
        database_url=stack.database_url("emails"),
        namespace=stack.namespace,
        smtp_url="",  # logged
        prefetch=20,
        retry_first_delay_seconds=0.2,
        retry_max_delay_seconds=0.4,
        retry_give_up_after_seconds=0.5,
    )
    async with started(create_app(settings)):
        broker = await TestBroker.connect(AMQP_URL, stack.namespace)
        yield broker
        await broker.close()


@pytest.fixture(scope="module")
def emails(stack):
    engine = create_engine(stack.database_url("emails"))

    def of(purchase_ids: list[uuid.UUID]) -> list[dict]:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT purchase_id, state, message_id FROM emails"
                    " WHERE purchase_id = ANY(:ids)"
                ),
                {"ids": purchase_ids},
            )
            return [dict(row._mapping) for row in rows]

    yield of
    engine.dispose()


async def test_a_burst_with_duplicates_records_one_email_each_and_reports_every_delivery(
    broker, emails
):
    reports = QueueReader(broker, "purchases.email-status")
    events = [purchase_event("succeeded", f"Item {n}", "5", ADA) for n in range(40)]
    deliveries = [*events, *events[:10]]  # ten delivered twice, in the same burst
    await asyncio.gather(*(publish(broker, event) for event in deliveries))

    ids = [event.purchase_id for event in events]

    async def all_reported() -> list[dict]:
        await reports.drain()
        about = [r for r in reports.bodies if uuid.UUID(r["purchase_id"]) in set(ids)]
        return about if len(about) >= len(deliveries) else []

    reported = await eventually(all_reported, within=30)
    assert len(reported) == len(deliveries)
    stored = emails(ids)
    assert sorted(row["purchase_id"] for row in stored) == sorted(ids)
    assert {row["state"] for row in stored} == {"sent"}
    assert all(
        row["message_id"] == f"<purchase-{row['purchase_id']}@fedshop.example>" for row in stored
    )


async def test_an_email_that_cannot_be_stored_fails_alone(broker, emails):
    dead_letters = DeadLetters(broker)
    failed_before = failed_attempts()
    good = [purchase_event("succeeded", f"Good {n}", "5", ADA) for n in range(10)]
    bad = purchase_event("succeeded", "x" * 400, "5", ADA)  # its subject is too long to store
    await asyncio.gather(*(publish(broker, event) for event in [*good[:5], bad, *good[5:]]))

    parked = await dead_letters.about(str(bad.event_id))
    # Refused as it is made, before any statement: the field and its limit are named.
    reason = str(parked.headers["x-failure-reason"])
    assert "subject" in reason and "at most 300 characters" in reason
    # Only the bad one ever failed: the batch it spoiled was tried again one email at a time.
    assert failed_attempts() - failed_before == parked.headers["x-attempts"]

    async def good_sent() -> list[dict]:
        rows = emails([event.purchase_id for event in good])
        return rows if len(rows) == len(good) else []

    assert {row["state"] for row in await eventually(good_sent)} == {"sent"}
    assert emails([bad.purchase_id]) == []
