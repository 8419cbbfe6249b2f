"""The email worker against real RabbitMQ, PostgreSQL and SMTP: one email per purchase, sent,
recorded and reported back; failures retried, then parked in the dead-letter queue with why."""

import uuid

import aio_pika
import pytest
from fedshop_common.events import ItemSnapshot, PurchaseCompleted, UserSnapshot
from fedshop_email_worker.app import create_app
from fedshop_email_worker.rendering import render_email
from fedshop_email_worker.settings import EmailWorkerSettings
from prometheus_client import REGISTRY
from sqlalchemy import create_engine, text

from tests.support import AMQP_URL, QueueReader, TestBroker, eventually, started

GRACE = UserSnapshot(id=3, email="grace.hopper@example.com", first_name="Grace", last_name="Hopper")
QUEUE = "email-worker.purchases"
RETRY_ATTEMPTS = 3


@pytest.fixture(scope="module")
def stack(make_stack):
    return make_stack("emails")


@pytest.fixture(scope="module")
async def worker(stack, smtp):
    settings = EmailWorkerSettings(
        database_url=stack.database_url("emails"),
        namespace=stack.namespace,
        smtp_url=smtp.url,
        smtp_timeout_seconds=2,
        # 0.2 s, 0.4 s, then given up: RETRY_ATTEMPTS in all.
        retry_first_delay_seconds=0.2,
        retry_max_delay_seconds=1,
        retry_give_up_after_seconds=1,
    )
    async with started(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def http(worker):
    return worker


@pytest.fixture(scope="module")
async def broker(stack, worker):
    broker = await TestBroker.connect(AMQP_URL, stack.namespace)
    yield broker
    await broker.close()


@pytest.fixture(scope="module")
def reports(broker):
    return QueueReader(broker, "purchases.email-status")


class DeadLetters:
    """What reached the worker's dead-letter queue, by message id."""

    def __init__(self, broker: TestBroker) -> None:
        self._broker = broker
        self.messages: dict[str, aio_pika.abc.AbstractIncomingMessage] = {}

    async def about(self, message_id: str) -> aio_pika.abc.AbstractIncomingMessage:
        queue = await self._broker.dlq(QUEUE)

        async def parked():
            while message := await queue.get(no_ack=True, fail=False):
                self.messages[message.message_id] = message
            return self.messages.get(message_id)

        return await eventually(parked)


@pytest.fixture(scope="module")
def dead_letters(broker):
    return DeadLetters(broker)


@pytest.fixture(scope="module")
def stored_emails(stack):
    engine = create_engine(stack.database_url("emails"))

    def emails_of(purchase_id: uuid.UUID) -> list[dict]:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT state, kind, recipient, subject, message_id, sent_at FROM emails"
                    " WHERE purchase_id = :id"
                ),
                {"id": purchase_id},
            )
            return [dict(row._mapping) for row in rows]

    yield emails_of
    engine.dispose()


def purchase_event(status: str, name: str, price: str, user: UserSnapshot = GRACE):
    return PurchaseCompleted(
        purchase_id=uuid.uuid4(),
        status=status,
        user=user,
        item=ItemSnapshot(id=1, name=name, price=price),
    )


async def publish(broker: TestBroker, event: PurchaseCompleted) -> None:
    await broker.publish(event.routing_key, event.model_dump_json().encode(), str(event.event_id))


def failed_attempts() -> float:
    return REGISTRY.get_sample_value("fedshop_messages_failed_total", {"queue": QUEUE}) or 0


@pytest.mark.parametrize(
    ("status", "name", "price", "kind", "subject", "says"),
    [
        (
            "succeeded",
            "Table",
            "10",
            "confirmation",
            "Your purchase of Table is confirmed",
            "your purchase of Table for 10.00 went through",
        ),
        (
            "rejected",
            "Lamp",
            "50",
            "rejection",
            "Your purchase of Lamp could not be completed",
            "we could not complete your purchase of Lamp for 50.00",
        ),
    ],
)
async def test_sends_records_and_reports_one_email(
    broker, reports, stored_emails, smtp, status, name, price, kind, subject, says
):
    event = purchase_event(status, name, price)
    await publish(broker, event)

    [report] = await reports.about(event.purchase_id)
    assert (report["kind"], report["recipient"], report["subject"]) == (
        kind,
        "grace.hopper@example.com",
        subject,
    )
    [received] = smtp.received_for(event.purchase_id)
    assert received["To"] == "grace.hopper@example.com"
    assert received["From"] == "fedshop <shop@fedshop.example>"
    assert received["Subject"] == subject
    plain = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    for body in (plain, html):
        assert "Hello Grace" in body
        assert str(event.purchase_id) in body
    assert says in plain
    assert f"<strong>{name}</strong> for <strong>{float(price):.2f}</strong>" in " ".join(
        html.split()
    )
    [email] = stored_emails(event.purchase_id)
    assert (email["state"], email["kind"], email["message_id"]) == (
        "sent",
        kind,
        received["Message-ID"],
    )


def test_values_from_users_are_escaped_in_the_html():
    mallory = GRACE.model_copy(update={"first_name": "<b>Mal</b> & Co"})
    email = render_email(purchase_event("succeeded", "Mug", "8.5", user=mallory))

    assert "Hello &lt;b&gt;Mal&lt;/b&gt; &amp; Co," in email.html
    assert "Hello <b>Mal</b> & Co," in email.text  # plain text needs no escaping


async def test_a_redelivered_event_sends_one_email_and_reports_again(
    broker, reports, stored_emails, smtp
):
    event = purchase_event("succeeded", "Chair", "20")
    await publish(broker, event)
    await publish(broker, event)

    first, second = await reports.about(event.purchase_id, count=2)
    assert first["sent_at"] == second["sent_at"]  # the one recorded email, reported twice
    assert len(smtp.received_for(event.purchase_id)) == 1
    assert len(stored_emails(event.purchase_id)) == 1


async def test_smtp_down_then_up_retries_and_sends_once(broker, reports, stored_emails, smtp):
    failed_before = failed_attempts()
    smtp.stop()
    try:
        event = purchase_event("succeeded", "Notebook", "4.99")
        await publish(broker, event)

        async def failed_once() -> bool:
            return failed_attempts() > failed_before

        await eventually(failed_once)
        [email] = stored_emails(event.purchase_id)
        assert email["state"] == "reserved"  # claimed, not sent: the next attempt sends it
    finally:
        smtp.start()

    [report] = await reports.about(event.purchase_id)
    assert len(smtp.received_for(event.purchase_id)) == 1
    assert stored_emails(event.purchase_id)[0]["state"] == "sent"
    assert report["subject"] == "Your purchase of Notebook is confirmed"


async def test_smtp_down_for_good_parks_the_message_with_its_reason(
    broker, dead_letters, stored_emails, smtp, http
):
    smtp.stop()
    try:
        health = await http.get("/health")
        assert health.status_code == 200  # the worker serves on; the emails wait
        assert health.json()["status"] == "degraded"
        assert health.json()["dependencies"]["smtp"].startswith("down")

        event = purchase_event("rejected", "Laptop", "1000")
        await publish(broker, event)
        parked = await dead_letters.about(str(event.event_id))
    finally:
        smtp.start()

    assert parked.headers["x-attempts"] == RETRY_ATTEMPTS
    assert "SMTP" in str(parked.headers["x-failure-reason"])  # e.g. SMTPConnectError(...)
    assert PurchaseCompleted.model_validate_json(parked.body) == event  # kept as published
    assert stored_emails(event.purchase_id)[0]["state"] == "reserved"
    assert smtp.received_for(event.purchase_id) == []


async def test_a_malformed_message_is_dead_lettered_at_once(broker, dead_letters):
    failed_before = failed_attempts()
    await broker.exchange.publish(
        aio_pika.Message(b'{"not": "a purchase"}', message_id="malformed-1"), "purchase.succeeded"
    )

    parked = await dead_letters.about("malformed-1")
    assert parked.headers["x-attempts"] == 1
    assert "not a valid PurchaseCompleted" in str(parked.headers["x-failure-reason"])
    assert failed_attempts() == failed_before + 1


async def test_health_and_metrics(http, broker, reports):
    event = purchase_event("succeeded", "Mug", "8.50")
    await publish(broker, event)
    await reports.about(event.purchase_id)

    health = await http.get("/health")
    assert health.status_code == 200
    assert health.json()["dependencies"] == {
        "database": "ok",
        "publisher": "ok",
        "consumer": "ok",
        "smtp": "ok",
    }
    metrics = (await http.get("/metrics")).text
    for name in (
        f'fedshop_messages_processed_total{{queue="{QUEUE}"}}',
        f'fedshop_messages_failed_total{{queue="{QUEUE}"}}',
        f'fedshop_messages_dead_lettered_total{{queue="{QUEUE}"}}',
        "fedshop_email_send_seconds_count",
    ):
        assert name in metrics


async def test_a_user_without_an_address_is_recorded_as_such_and_nothing_is_sent(
    broker, reports, stored_emails, smtp
):
    polly = UserSnapshot(id=9, email=None, first_name="Polly", last_name="")
    event = purchase_event("succeeded", "Seeds", "3", user=polly)
    await publish(broker, event)

    [report] = await reports.about(event.purchase_id)
    assert (report["delivery"], report["recipient"]) == ("no_address", "")
    [email] = stored_emails(event.purchase_id)
    assert (email["state"], email["recipient"], email["message_id"]) == ("no_address", "", None)
    assert smtp.received_for(event.purchase_id) == []
