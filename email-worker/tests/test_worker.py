"""The email worker against real RabbitMQ and PostgreSQL: one email per purchase, reported back."""

import uuid

import aio_pika
import pytest
from asgi_lifespan import LifespanManager
from fedshop_common.amqp import Broker
from fedshop_common.events import ItemSnapshot, PurchaseCompleted, UserSnapshot
from fedshop_email_worker.app import create_app
from fedshop_email_worker.settings import EmailWorkerSettings
from sqlalchemy import create_engine, text

from tests.support import AMQP_URL, QueueReader, eventually

GRACE = UserSnapshot(id=3, email="grace.hopper@example.com", first_name="Grace", last_name="Hopper")


@pytest.fixture(scope="module")
def stack(make_stack):
    return make_stack("emails")


@pytest.fixture(scope="module")
async def worker(stack):
    settings = EmailWorkerSettings(
        database_url=stack.database_url("emails"), namespace=stack.namespace
    )
    async with LifespanManager(create_app(settings)):
        yield


@pytest.fixture(scope="module")
async def broker(stack, worker):
    broker = await Broker.connect(AMQP_URL, stack.namespace)
    yield broker
    await broker.close()


@pytest.fixture(scope="module")
def reports(broker):
    return QueueReader(broker, "purchases.email-status")


@pytest.fixture(scope="module")
def stored_emails(stack):
    engine = create_engine(stack.database_url("emails"))

    def emails_of(purchase_id: uuid.UUID) -> list[dict]:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT kind, recipient, subject, body FROM emails WHERE purchase_id = :id"),
                {"id": purchase_id},
            )
            return [dict(row._mapping) for row in rows]

    yield emails_of
    engine.dispose()


def purchase_event(status: str, name: str, price: str) -> PurchaseCompleted:
    return PurchaseCompleted(
        purchase_id=uuid.uuid4(),
        status=status,
        user=GRACE,
        item=ItemSnapshot(id=1, name=name, price=price),
    )


async def publish(broker: Broker, event: PurchaseCompleted) -> None:
    await broker.publish(event.routing_key, event.model_dump_json().encode(), str(event.event_id))


@pytest.mark.parametrize(
    ("status", "name", "price", "kind", "subject"),
    [
        ("succeeded", "Table", "10", "confirmation", "Your purchase of Table is confirmed"),
        ("rejected", "Lamp", "50", "rejection", "Your purchase of Lamp could not be completed"),
    ],
)
async def test_sends_records_and_reports_one_email(
    broker, reports, stored_emails, status, name, price, kind, subject
):
    event = purchase_event(status, name, price)
    await publish(broker, event)

    [report] = await reports.about(event.purchase_id)
    assert (report["kind"], report["recipient"], report["subject"]) == (
        kind,
        "grace.hopper@example.com",
        subject,
    )
    [email] = stored_emails(event.purchase_id)
    assert email["kind"] == kind
    assert "Hello Grace" in email["body"] and f"{float(price):.2f}" in email["body"]


async def test_a_redelivered_event_sends_nothing_new_but_reports_again(
    broker, reports, stored_emails
):
    event = purchase_event("succeeded", "Chair", "20")
    await publish(broker, event)
    await publish(broker, event)

    first, second = await reports.about(event.purchase_id, count=2)
    assert first["sent_at"] == second["sent_at"]  # the one recorded email, reported twice
    assert len(stored_emails(event.purchase_id)) == 1


async def test_a_malformed_message_is_dead_lettered_at_once(broker):
    await broker.exchange.publish(
        aio_pika.Message(b'{"not": "a purchase"}', message_id="malformed-1"), "purchase.succeeded"
    )
    dlq = await broker.channel.declare_queue(
        broker.namespace + "email-worker.purchases.dlq", passive=True
    )

    async def dead_lettered():
        message = await dlq.get(no_ack=True, fail=False)
        return message is not None and message.message_id == "malformed-1"

    assert await eventually(dead_lettered)
