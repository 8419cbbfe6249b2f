import httpx
import pytest
from asgi_lifespan import LifespanManager
from fedshop_users.app import create_app
from fedshop_users.settings import UsersSettings
from redis.asyncio import Redis
from sqlalchemy import event

from tests.support import REDIS_URL


def users_app(stack, **settings):
    return create_app(
        UsersSettings(
            database_url=stack.database_url("users"), namespace=stack.namespace, **settings
        )
    )


@pytest.fixture(scope="package")
def stack(make_stack):
    return make_stack("users")


@pytest.fixture(scope="package")
async def app(stack):
    app = users_app(stack)
    async with LifespanManager(app):
        yield app


@pytest.fixture(scope="package")
async def client(app):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://users") as client:
        yield client


@pytest.fixture(scope="package")
async def redis():
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture
def sql_statements(app):
    """The SQL statements the users service sends while the test runs."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    yield statements
    event.remove(engine, "before_cursor_execute", record)


async def graphql(client: httpx.AsyncClient, query: str, **variables) -> dict:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()
