"""Order emails against real RabbitMQ, PostgreSQL and SMTP: one email per settled order (its
confirmation once paid, its cancellation saying why), sent, recorded and reported back as
`email.order_sent`, whatever the redeliveries."""

import uuid
from decimal import Decimal

import pytest
from fedshop_common.events import (
    ItemSnapshot,
    OrderLine,
    OrderSettled,
    PurchaseCompleted,
    UserSnapshot,
)
from fedshop_email_worker.app import create_app
from fedshop_email_worker.rendering import render_order_email
from fedshop_email_worker.settings import EmailWorkerSettings
from sqlalchemy import create_engine, text

from tests.support import AMQP_URL, QueueReader, TestBroker, started

GRACE = UserSnapshot(id=3, email="grace.hopper@example.com", first_name="Grace", last_name="Hopper")
LINES = [
    OrderLine(item_id=2, name="Chair", quantity=3, unit_price=Decimal("19.99")),
    OrderLine(item_id=6, name="Mug", quantity=1, unit_price=Decimal("8.50")),
]


@pytest.fixture(scope="module")
def stack(make_stack):
    return make_stack("orderemails")


@pytest.fixture(scope="module")
async def worker(stack, smtp):
    settings = EmailWorkerSettings(
        database_url=stack.database_url("emails"),
        namespace=stack.namespace,
        smtp_url=smtp.url,
        smtp_timeout_seconds=2,
    )
    async with started(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
async def broker(stack, worker):
    broker = await TestBroker.connect(AMQP_URL, stack.namespace)
    yield broker
    await broker.close()


@pytest.fixture(scope="module")
def reports(broker):
    return QueueReader(broker, "purchases.email-status")


@pytest.fixture(scope="module")
def stored_order_emails(stack):
    engine = create_engine(stack.database_url("emails"))

    def emails_of(order_id: uuid.UUID) -> list[dict]:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT state, kind, recipient, subject, message_id FROM order_emails"
                    " WHERE order_id = :id"
                ),
                {"id": order_id},
            )
            return [dict(row._mapping) for row in rows]

    yield emails_of
    engine.dispose()


def settled(
    status: str, reason: str | None = None, detail: str | None = None, user: UserSnapshot = GRACE
) -> OrderSettled:
    return OrderSettled(
        order_id=uuid.uuid4(),
        status=status,
        user=user,
        lines=list(LINES),
        total=Decimal("68.47"),
        reason=reason,
        detail=detail,
    )


async def publish(broker: TestBroker, event: OrderSettled) -> None:
    await broker.publish(event.routing_key, event.model_dump_json().encode(), str(event.event_id))


def bodies(received) -> tuple[str, str]:  # noqa: ANN001
    plain = received.get_body(("plain",)).get_content()
    html = " ".join(received.get_body(("html",)).get_content().split())
    return plain, html


async def test_a_paid_order_gets_one_confirmation_with_its_lines_and_total(
    broker, reports, stored_order_emails, smtp
):
    event = settled("paid")
    await publish(broker, event)

    [report] = await reports.about(event.order_id, key="order_id")
    assert (report["kind"], report["recipient"], report["subject"], report["delivery"]) == (
        "order_confirmation",
        "grace.hopper@example.com",
        "Your order is confirmed",
        "sent",
    )
    [received] = smtp.received_for(event.order_id)
    assert received["To"] == "grace.hopper@example.com"
    assert received["Subject"] == "Your order is confirmed"
    assert received["Message-ID"].startswith(f"<order-{event.order_id}@")
    plain, html = bodies(received)
    assert "Hello Grace" in plain and "your order went through" in plain
    assert "3 x Chair at 19.99 = 59.97" in plain
    assert "1 x Mug at 8.50 = 8.50" in plain
    assert "Total: 68.47" in plain
    assert "<td>3 x</td><td>Chair</td><td>at 19.99</td><td>59.97</td>" in html
    assert "Total: <strong>68.47</strong>" in html
    [email] = stored_order_emails(event.order_id)
    assert (email["state"], email["kind"], email["message_id"]) == (
        "sent",
        "order_confirmation",
        received["Message-ID"],
    )


@pytest.mark.parametrize(
    ("reason", "detail", "why"),
    [
        ("payment_failed", "card declined", "the payment failed: card declined"),
        ("payment_failed", "amount over the limit", "the payment failed: amount over the limit"),
        ("payment_timeout", None, "it was not paid in time"),
    ],
)
async def test_a_cancelled_order_gets_one_cancellation_saying_why(
    broker, reports, stored_order_emails, smtp, reason, detail, why
):
    event = settled("cancelled", reason, detail)
    await publish(broker, event)

    [report] = await reports.about(event.order_id, key="order_id")
    assert (report["kind"], report["subject"]) == (
        "order_cancellation",
        "Your order was cancelled",
    )
    [received] = smtp.received_for(event.order_id)
    plain, html = bodies(received)
    assert f"we cancelled your order because {why}. Nothing was charged." in plain
    assert f"because <strong>{why}</strong>" in html
    assert "3 x Chair at 19.99 = 59.97" in plain
    assert stored_order_emails(event.order_id)[0]["kind"] == "order_cancellation"


async def test_a_redelivered_order_event_sends_one_email_and_reports_again(
    broker, reports, stored_order_emails, smtp
):
    event = settled("paid")
    await publish(broker, event)
    await publish(broker, event)

    first, second = await reports.about(event.order_id, count=2, key="order_id")
    assert first["sent_at"] == second["sent_at"]  # the one recorded email, reported twice
    assert len(smtp.received_for(event.order_id)) == 1
    assert len(stored_order_emails(event.order_id)) == 1


async def test_an_order_and_a_purchase_with_the_same_id_each_get_their_email(
    broker, reports, stored_order_emails, smtp
):
    """The two tables key different things: an order never takes a purchase's email."""
    event = settled("paid")
    purchase = PurchaseCompleted(
        purchase_id=event.order_id,
        status="succeeded",
        user=GRACE,
        item=ItemSnapshot(id=1, name="Table", price="10"),
    )
    await broker.publish(
        purchase.routing_key, purchase.model_dump_json().encode(), str(purchase.event_id)
    )
    await publish(broker, event)

    await reports.about(event.order_id, key="order_id")
    await reports.about(event.order_id)  # the purchase's report
    kinds = sorted(m["Subject"] for m in smtp.received_for(event.order_id))
    assert kinds == ["Your order is confirmed", "Your purchase of Table is confirmed"]


async def test_a_user_without_an_address_is_recorded_as_such_and_nothing_is_sent(
    broker, reports, stored_order_emails, smtp
):
    polly = UserSnapshot(id=9, email=None, first_name="Polly", last_name="")
    event = settled("cancelled", "payment_failed", "card declined", user=polly)
    await publish(broker, event)

    [report] = await reports.about(event.order_id, key="order_id")
    assert (report["delivery"], report["recipient"], report["kind"]) == (
        "no_address",
        "",
        "order_cancellation",
    )
    [email] = stored_order_emails(event.order_id)
    assert (email["state"], email["recipient"], email["message_id"]) == ("no_address", "", None)
    assert smtp.received_for(event.order_id) == []


def test_values_from_users_are_escaped_in_the_order_html():
    mallory = GRACE.model_copy(update={"first_name": "<b>Mal</b>"})
    event = settled("paid", user=mallory)
    event.lines[0] = event.lines[0].model_copy(update={"name": "<i>Chair</i>"})
    email = render_order_email(event)

    assert "Hello &lt;b&gt;Mal&lt;/b&gt;," in email.html
    assert "&lt;i&gt;Chair&lt;/i&gt;" in email.html
    assert "<i>Chair</i>" in email.text
