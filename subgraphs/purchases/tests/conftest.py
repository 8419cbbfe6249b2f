import pytest
from fedshop_purchases.app import create_app
from fedshop_purchases.settings import PurchasesSettings
from sqlalchemy import create_engine, text

from tests.support import (
    AMQP_URL,
    VENV_BIN,
    ServiceProcess,
    Stack,
    TestBroker,
    free_port,
    serving,
    started,
)


@pytest.fixture(scope="package")
def stack(make_stack) -> Stack:
    return make_stack("purchases")


@pytest.fixture(scope="package")
def users_url(stack):
    """The real users service: the purchases service looks users up over its REST API."""
    with serving(stack, "purchases-tests-users", "fedshop-users", "users") as url:
        yield url


def purchases_app(stack: Stack, users_url: str, **settings):
    return create_app(
        PurchasesSettings(
            database_url=stack.database_url("purchases"),
            namespace=stack.namespace,
            users_url=users_url,
            **settings,
        )
    )


@pytest.fixture(scope="package")
def app(stack, users_url):
    return purchases_app(stack, users_url)


@pytest.fixture(scope="package")
async def client(app):
    async with started(app) as client:
        yield client


@pytest.fixture(scope="package")
async def broker(stack):
    broker = await TestBroker.connect(AMQP_URL, stack.namespace)
    yield broker
    await broker.close()


@pytest.fixture(scope="package")
def count_rows(stack):
    """(purchases, outbox rows) now: a refused request must leave both as they were."""
    engine = create_engine(stack.database_url("purchases"))

    def count(table: str) -> int:
        with engine.connect() as connection:
            return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()

    yield lambda: (count("purchases"), count("outbox"))
    engine.dispose()


@pytest.fixture(scope="package")
def database(stack):
    from .shop import Database

    database = Database(stack.database_url("purchases"))
    yield database
    database.close()


@pytest.fixture(scope="package")
def real_service(stack, users_url, client):
    """The purchases service as its own process on a port (real HTTP), beside the in-process
    app on the same database and queues, as a second replica would be. Started after the app,
    so that the database is migrated."""
    port, secret = free_port(), "orders-secret"
    env = stack.env("purchases", port, USERS_URL=users_url, ROUTER_SHARED_SECRET=secret)
    process = ServiceProcess("purchases-orders", [str(VENV_BIN / "fedshop-purchases")], env)
    url = f"http://127.0.0.1:{port}"
    try:
        process.wait_ready(f"{url}/health/ready")
        yield url, secret
    finally:
        process.stop()
