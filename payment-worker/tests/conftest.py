"""The payment worker as `make dev` runs it (a real process), the orders it is sent, and what it
recorded: against real RabbitMQ and PostgreSQL."""

import uuid
from decimal import Decimal

import pytest
from fedshop_common.events import OrderLine, OrderPlaced, PaymentDetails, UserSnapshot
from fedshop_common.messaging import QueueSpec
from sqlalchemy import create_engine, text

from tests.support import AMQP_URL, VENV_BIN, ServiceProcess, Stack, TestBroker, free_port

ADA = UserSnapshot(id=7, email="ada.lovelace@example.com", first_name="Ada", last_name="Lovelace")
# Where the purchases service hears the outcomes (it declares the queue; a test reads it).
PAYMENTS_QUEUE = QueueSpec("purchases.payments", ("payment.*",))


class WorkerProcess(ServiceProcess):
    def __init__(self, stack: Stack, run: str, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            f"payment-worker-{stack.name}-{run}",
            [str(VENV_BIN / "fedshop-payment-worker")],
            stack.env("payments", self.port, **env),
        )
        self.wait_ready(f"{self.url}/health/ready")


@pytest.fixture(scope="module")
async def broker(stack):
    """Declares the outcomes' queue first, so that nothing published before the worker consumes
    is lost."""
    broker = await TestBroker.connect(AMQP_URL, stack.namespace)
    await broker.declare(PAYMENTS_QUEUE)
    yield broker
    await broker.close()


@pytest.fixture(scope="module")
def start_worker():
    """Start a payment worker process of a stack; each is stopped after the module."""
    started: list[WorkerProcess] = []

    def start(stack: Stack, run: str, **env: str) -> WorkerProcess:
        started.append(WorkerProcess(stack, run, **env))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()


def order_placed(
    total: str = "59.97", card: str | None = "4242424242424242", method: str = "card"
) -> OrderPlaced:
    return OrderPlaced(
        order_id=uuid.uuid4(),
        user=ADA,
        lines=[OrderLine(item_id=2, name="Chair", quantity=3, unit_price=Decimal(total) / 3)],
        total=Decimal(total),
        payment=PaymentDetails(method=method, card=card),
    )


async def publish(broker: TestBroker, order: OrderPlaced) -> None:
    await broker.publish(order.routing_key, order.model_dump_json().encode(), str(order.event_id))


class PaymentsTable:
    """What the worker recorded in its database, read with plain SQL."""

    def __init__(self, database_url: str) -> None:
        self._engine = create_engine(database_url)

    def of(self, order_id: uuid.UUID) -> list[dict]:
        return self._rows(
            "SELECT amount, method, status, reason, user_id FROM payments WHERE order_id = :id",
            order_id,
        )

    def outbox_of(self, order_id: uuid.UUID) -> list[dict]:
        return self._rows(
            "SELECT routing_key, published_at FROM outbox WHERE payload->>'order_id' = :id",
            str(order_id),
        )

    def _rows(self, query: str, value: object) -> list[dict]:
        with self._engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(text(query), {"id": value})]

    def close(self) -> None:
        self._engine.dispose()


@pytest.fixture(scope="module")
def payments_table(stack):
    table = PaymentsTable(stack.database_url("payments"))
    yield table
    table.close()
