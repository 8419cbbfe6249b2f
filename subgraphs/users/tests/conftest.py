import httpx
import pytest
from fedshop_users.app import create_app
from fedshop_users.settings import UsersSettings
from redis.asyncio import Redis

from tests.support import REDIS_URL, recorded_sql, started


def users_app(stack, **settings):
    # The tests create many users from one address; the throttle tests turn the limits back on.
    settings.setdefault("rate_limits", "off")
    return create_app(
        UsersSettings(
            database_url=stack.database_url("users"), namespace=stack.namespace, **settings
        )
    )


@pytest.fixture(scope="package")
def stack(make_stack):
    return make_stack("users")


@pytest.fixture(scope="package")
def app(stack):
    return users_app(stack)


@pytest.fixture(scope="package")
async def client(app):
    async with started(app) as client:
        yield client


@pytest.fixture(scope="package")
async def redis():
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture
def sql_statements(app, client):
    """The SQL statements the users service sends while the test runs."""
    with recorded_sql(app.state.engine) as statements:
        yield statements


async def graphql(client: httpx.AsyncClient, query: str, **variables) -> dict:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()
