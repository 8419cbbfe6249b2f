"""The outbox: a broker outage or a stop between commit and publish delays events, never loses
or doubles them."""

import collections

import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import create_engine, text

from tests.support import AMQP_URL, QueueReader, TcpProxy, TestBroker, client_of, eventually

from .conftest import purchases_app

TABLE, LAMP = 1, 3


@pytest.fixture
async def broker_proxy():
    proxy = TcpProxy("127.0.0.1", int(AMQP_URL.rsplit(":", 1)[1].strip("/")))
    await proxy.start()
    yield proxy
    await proxy.cut()


@pytest.fixture(scope="module")
def outbox_stack(make_stack):
    """Its own database and queues: no other purchases app may publish these tests' outbox."""
    return make_stack("outbox")


@pytest.fixture(scope="module")
async def outbox_broker(outbox_stack):
    broker = await TestBroker.connect(AMQP_URL, outbox_stack.namespace)
    yield broker
    await broker.close()


@pytest.fixture(scope="module")
def pending_outbox(outbox_stack):
    engine = create_engine(outbox_stack.database_url("purchases"))

    async def count() -> int:
        with engine.connect() as connection:
            sql = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            return connection.execute(text(sql)).scalar_one()

    yield count
    engine.dispose()


def app_behind(stack, users_url, proxy: TcpProxy):
    return purchases_app(stack, users_url, amqp_url=f"amqp://guest:guest@127.0.0.1:{proxy.port}/")


async def purchase_ids(app, count: int) -> list[str]:
    async with client_of(app) as client:
        ids = []
        for n in range(count):
            body = {"user_id": 1 + n % 5, "item_id": (TABLE, LAMP)[n % 2]}
            response = await client.post("/purchase", json=body)
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
        return ids


async def broker_connected(app) -> bool:
    async with client_of(app) as client:
        return (await client.get("/health")).json()["dependencies"]["publisher"] == "ok"


async def test_purchases_made_while_the_broker_is_unreachable_are_published_once_it_is_back(
    outbox_stack, users_url, outbox_broker, broker_proxy, pending_outbox
):
    events = QueueReader(outbox_broker, "email-worker.purchases")
    await events.drain()
    app = app_behind(outbox_stack, users_url, broker_proxy)
    async with LifespanManager(app):
        await eventually(lambda: broker_connected(app))
        await broker_proxy.cut()
        ids = await purchase_ids(app, 12)  # purchases keep working
        assert await pending_outbox() >= 12

        await broker_proxy.start()
        await eventually(lambda: _no_pending(pending_outbox), within=60)
    await events.drain()
    published = collections.Counter(e["purchase_id"] for e in events.bodies)
    assert {purchase_id: published[purchase_id] for purchase_id in ids} == dict.fromkeys(ids, 1)
    in_order = [e["purchase_id"] for e in events.bodies if e["purchase_id"] in ids]
    assert in_order == ids


async def test_events_committed_before_a_stop_are_published_by_the_next_start(
    outbox_stack, users_url, outbox_broker, broker_proxy, pending_outbox
):
    events = QueueReader(outbox_broker, "email-worker.purchases")
    await events.drain()
    first = app_behind(outbox_stack, users_url, broker_proxy)
    await broker_proxy.cut()  # the service stops before it could publish
    async with LifespanManager(first):
        ids = await purchase_ids(first, 3)
    assert await pending_outbox() >= 3

    await broker_proxy.start()
    async with LifespanManager(app_behind(outbox_stack, users_url, broker_proxy)):
        await eventually(lambda: _no_pending(pending_outbox), within=30)
    await events.drain()
    published = collections.Counter(e["purchase_id"] for e in events.bodies)
    assert [published[purchase_id] for purchase_id in ids] == [1, 1, 1]


async def _no_pending(pending_outbox) -> bool:
    return await pending_outbox() == 0
