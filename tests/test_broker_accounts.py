"""One broker user per service (`fedshop_common.messaging.accounts`, what compose runs once):
each may use the events exchange and its own queues, nothing of another service's, and the
broker refuses an event stamped with another user's name. On a RabbitMQ node of the test's own
with the management API, so the machine's shared broker keeps its users."""

import subprocess
import sys

import aio_pika
import pytest
from aiormq.exceptions import ChannelAccessRefused, ChannelClosed, ProbableAuthenticationError
from fedshop_common.messaging.accounts import password_variable
from fedshop_common.messaging.topology import EXCHANGE

from tests.faults.servers import PrivateRabbitMQ
from tests.support import ROOT, VENV_BIN

pytestmark = pytest.mark.timeout(300)

PASSWORDS = {"purchases": "purchases-secret", "email-worker": "worker-secret"}


@pytest.fixture(scope="module")
def broker():
    node = PrivateRabbitMQ(management=True)
    env = {
        "RABBITMQ_ADMIN_URL": f"http://guest:guest@127.0.0.1:{node.management_port}",
        **{password_variable(user): password for user, password in PASSWORDS.items()},
    }
    made = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "fedshop_common.messaging.accounts", *PASSWORDS],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    # Run twice: the second run finds every account as the first left it.
    again = subprocess.run(made.args, env=env, cwd=ROOT, capture_output=True, timeout=60)
    assert again.returncode == 0, again.stderr
    yield node
    node.remove()


def url(node: PrivateRabbitMQ, user: str, password: str | None = None) -> str:
    return f"amqp://{user}:{password or PASSWORDS[user]}@127.0.0.1:{node.port}/"


async def test_a_service_uses_its_own_queues_and_the_events_exchange(broker):
    connection = await aio_pika.connect(url(broker, "purchases"))
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(
            EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue("purchases.catalog", durable=True)
        await queue.bind(exchange, "item.*")
        await exchange.publish(
            aio_pika.Message(b"{}", user_id="purchases"), "item.created", mandatory=True
        )
        # A retry goes back through the default exchange.
        await channel.default_exchange.publish(aio_pika.Message(b"{}"), "purchases.catalog")
        assert (await queue.declare()).message_count == 2


@pytest.mark.parametrize("queue", ["email-worker.purchases", "inventory.sales", "anything"])
async def test_a_service_cannot_touch_another_services_queue(broker, queue):
    connection = await aio_pika.connect(url(broker, "purchases"))
    async with connection:
        channel = await connection.channel()
        with pytest.raises(ChannelAccessRefused):
            await channel.declare_queue(queue, durable=True)


async def test_an_event_stamped_with_another_users_name_is_refused(broker):
    connection = await aio_pika.connect(url(broker, "email-worker"))
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(
            EXCHANGE, aio_pika.ExchangeType.TOPIC, durable=True
        )
        with pytest.raises(ChannelClosed, match="user_id property set to 'purchases'"):
            await exchange.publish(
                aio_pika.Message(b"{}", user_id="purchases"), "purchase.succeeded"
            )


async def test_a_wrong_password_is_refused(broker):
    with pytest.raises(ProbableAuthenticationError):
        await aio_pika.connect(url(broker, "purchases", password="not-it"))


def test_no_password_set_names_the_variables():
    made = subprocess.run(
        [sys.executable, "-m", "fedshop_common.messaging.accounts", "purchases", "payment-worker"],
        env={"RABBITMQ_ADMIN_URL": "http://a:b@127.0.0.1:1"}, cwd=ROOT,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert made.returncode != 0
    assert "PURCHASES_BROKER_PASSWORD, PAYMENT_WORKER_BROKER_PASSWORD" in made.stderr
