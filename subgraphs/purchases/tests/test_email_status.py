"""The purchases service hears the email worker's reports (`email.sent`), once each."""

import uuid
from datetime import UTC, datetime

from fedshop_common.events import EmailSent

from tests.support import eventually


def report_for(purchase_id: str) -> EmailSent:
    return EmailSent(
        purchase_id=uuid.UUID(purchase_id),
        kind="confirmation",
        recipient="ada.lovelace@example.com",
        subject="Your purchase of Table is confirmed",
        sent_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )


async def publish(broker, event: EmailSent) -> None:
    await broker.publish(event.routing_key, event.model_dump_json().encode(), str(event.event_id))


async def test_a_reported_email_is_stored_on_the_purchase(client, broker):
    purchase = (await client.post("/purchase", json={"user_id": 1, "item_id": 1})).json()
    report = report_for(purchase["id"])
    await publish(broker, report)

    async def email_status() -> dict | None:
        body = (await client.get(f"/purchases/{purchase['id']}")).json()
        return body if body["email_status"] == "sent" else None

    stored = await eventually(email_status)
    assert stored["email"] == {
        "kind": "confirmation",
        "recipient": "ada.lovelace@example.com",
        "subject": "Your purchase of Table is confirmed",
        "sent_at": "2026-01-02T03:04:05Z",
    }


async def test_a_repeated_or_conflicting_report_changes_nothing(client, app):
    purchase = (await client.post("/purchase", json={"user_id": 1, "item_id": 1})).json()
    report = report_for(purchase["id"])
    service = app.state.purchases
    assert await service.record_email(report) is True
    stored = (await client.get(f"/purchases/{purchase['id']}")).json()

    assert await service.record_email(report) is False
    later = report.model_copy(update={"subject": "changed", "event_id": uuid.uuid4()})
    assert await service.record_email(later) is False
    assert (await client.get(f"/purchases/{purchase['id']}")).json() == stored


async def test_a_report_about_an_unknown_purchase_is_dead_lettered(broker):
    report = report_for(str(uuid.uuid4()))
    await publish(broker, report)
    dlq = await broker.channel.declare_queue(
        broker.namespace + "purchases.email-status.dlq", passive=True
    )

    async def dead_lettered():
        message = await dlq.get(no_ack=True, fail=False)
        return message and message.message_id == str(report.event_id)

    assert await eventually(dead_lettered)
