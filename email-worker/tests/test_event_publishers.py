"""An event is handled only when it comes from the service that owns its routing key: a forged
`purchase.succeeded` published by another broker user is dead-lettered with why, and no email
goes out. Against the real broker, with a throwaway user made for the test."""

import subprocess
import uuid

import aio_pika
import pytest
from fedshop_common.events import ItemSnapshot, PurchaseCompleted, UserSnapshot
from fedshop_common.messaging.topology import EXCHANGE
from fedshop_email_worker.app import create_app
from fedshop_email_worker.settings import EmailWorkerSettings

from tests.support import AMQP_URL, TestBroker, eventually, started

QUEUE = "email-worker.purchases"
ADA = UserSnapshot(id=1, email="ada.lovelace@example.com", first_name="Ada", last_name="Lovelace")
LEGITIMATE = "guest"  # the purchases service's broker user in this test environment


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def stack(make_stack):
    return make_stack("publishers")


@pytest.fixture(scope="module")
def forger(stack):
    """A broker user that may write to this test's events exchange and nothing else."""
    name, password = f"forger-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    rabbitmqctl("add_user", name, password)
    try:
        exchange = (stack.namespace + EXCHANGE).replace(".", r"\.")
        rabbitmqctl("set_permissions", "-p", "/", name, "^$", f"^{exchange}$", "^$")
        yield name, AMQP_URL.replace("guest:guest", f"{name}:{password}")
    finally:
        rabbitmqctl("delete_user", name)


@pytest.fixture(scope="module")
async def worker(stack, smtp):
    settings = EmailWorkerSettings(
        database_url=stack.database_url("emails"),
        namespace=stack.namespace,
        smtp_url=smtp.url,
        event_publishers=f"purchase.*={LEGITIMATE}",
    )
    async with started(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
async def broker(stack, worker):
    """Declares the queues, so that nothing published before the worker consumes is lost."""
    broker = await TestBroker.connect(AMQP_URL, stack.namespace)
    yield broker
    await broker.close()


def purchase_event() -> PurchaseCompleted:
    return PurchaseCompleted(
        purchase_id=uuid.uuid4(),
        status="succeeded",
        user=ADA,
        item=ItemSnapshot(id=1, name="Table", price="10"),
    )


async def publish_as(url: str, namespace: str, event: PurchaseCompleted, user_id: str) -> None:
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(namespace + EXCHANGE, ensure=False)
        message = aio_pika.Message(
            event.model_dump_json().encode(),
            content_type="application/json",
            message_id=str(event.event_id),
            type=event.routing_key,
            user_id=user_id,
        )
        await exchange.publish(message, event.routing_key, timeout=10)


async def test_a_forged_purchase_event_is_dead_lettered_with_why_and_sends_no_email(
    stack, broker, forger, smtp
):
    name, forger_url = forger
    forged, genuine = purchase_event(), purchase_event()
    await publish_as(forger_url, stack.namespace, forged, user_id=name)
    await publish_as(AMQP_URL, stack.namespace, genuine, user_id=LEGITIMATE)

    # The genuine one is handled (its email goes out); the forged one is parked, with why.
    async def genuine_sent():
        return smtp.received_for(genuine.purchase_id)

    await eventually(genuine_sent)
    dlq = await broker.dlq(QUEUE)

    async def parked():
        return await dlq.get(no_ack=True, fail=False)

    message = await eventually(parked)
    assert message.message_id == str(forged.event_id)
    reason = message.headers["x-failure-reason"]
    assert f"published by '{name}'" in reason and f"only '{LEGITIMATE}'" in reason
    assert smtp.received_for(forged.purchase_id) == []


async def test_the_broker_refuses_a_user_id_that_is_not_the_connections(stack, broker, forger):
    _, forger_url = forger
    with pytest.raises(aio_pika.exceptions.ChannelPreconditionFailed):
        await publish_as(forger_url, stack.namespace, purchase_event(), user_id=LEGITIMATE)
