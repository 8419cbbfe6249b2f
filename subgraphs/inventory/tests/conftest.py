import httpx
import pytest
from fedshop_inventory.app import create_app
from fedshop_inventory.settings import InventorySettings

from tests.support import (
    AMQP_URL,
    Stack,
    TestBroker,
    serving,
    started,
)

DEMO_PASSWORD = "fedshop-demo"


@pytest.fixture(scope="package")
def stack(make_stack) -> Stack:
    return make_stack("inventory")


@pytest.fixture(scope="package")
def users_url(stack):
    """The real users service: it signs the tokens, the inventory verifies them by its JWKS."""
    with serving(stack, "inventory-tests-users", "fedshop-users", "users") as url:
        yield url


def inventory_app(stack: Stack, users_url: str, **settings):
    return create_app(
        InventorySettings(
            database_url=stack.database_url("inventory"),
            namespace=stack.namespace,
            users_url=users_url,
            **settings,
        )
    )


@pytest.fixture(scope="package")
def app(stack, users_url):
    return inventory_app(stack, users_url)


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
def tokens(users_url):
    def sign_in(email: str, password: str = DEMO_PASSWORD) -> dict:
        response = httpx.post(
            f"{users_url}/auth/token", data={"username": email, "password": password}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    return {
        "customer": sign_in("ada.lovelace@example.com"),
        "admin": sign_in("admin@fedshop.example", "fedshop-admin"),
    }
