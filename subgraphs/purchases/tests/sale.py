"""What the sale tests share: sales made by the admin, tokens of the sale signed by hand (a
forged one, an expired one, one never issued), and the sale worker in-process."""

import uuid
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx
import jwt
from asgi_lifespan import LifespanManager
from fedshop_purchases.sale.tokens import ALGORITHM, ISSUER, TokenKind
from fedshop_purchases.sale.worker import SaleWorkerSettings, create_app

from tests.support import Stack

SECRET = "sale-tests-secret-of-at-least-32-bytes"
DEMO_PASSWORD = "fedshop-demo"
ADA, ALAN = 1, 2  # seeded users


def sign_in(users_url: str, email: str, password: str = DEMO_PASSWORD) -> dict:
    response = httpx.post(f"{users_url}/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def iso(at: datetime) -> str:
    return at.isoformat()


def hours(n: float) -> datetime:
    return datetime.now(UTC) + timedelta(hours=n)


async def new_sale(
    client, admin: dict, item_id: int, units: int = 1, price: float = 9.5, opens=-1, closes=1
) -> dict:
    body = {
        "item_id": item_id,
        "price": price,
        "units": units,
        "starts_at": iso(hours(opens)),
        "ends_at": iso(hours(closes)),
    }
    response = await client.post("/api/sales", json=body, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()


async def enter(client, sale_id: str, headers: dict) -> httpx.Response:
    return await client.get("/api/queue/enter", params={"sale": sale_id}, headers=headers)


async def exchange(client, queue_token: str, headers: dict) -> httpx.Response:
    return await client.post(
        "/api/queue/exchange-qt-for-pt", json={"queue_token": queue_token}, headers=headers
    )


async def buy(client, purchase_token: str, headers: dict) -> httpx.Response:
    return await client.post(
        "/api/shop/purchase", json={"purchase_token": purchase_token}, headers=headers
    )


def hand_signed(
    kind: TokenKind,
    user_id: int,
    sale_id: str,
    secret: str = SECRET,
    expires_in: timedelta = timedelta(hours=1),
) -> str:
    """A token of the sale's shape, signed by the test: with the shop's secret it is well
    signed but was never issued."""
    issued = datetime.now(UTC)
    claims = {
        "iss": ISSUER,
        "aud": kind.audience,
        "sub": str(user_id),
        "sale": sale_id,
        "jti": str(uuid.uuid4()),
        "iat": issued,
        "exp": issued + expires_in,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


@asynccontextmanager
async def sale_worker(stack: Stack, secret: str = SECRET):
    """The sale worker, in-process, on the stack's database and queue."""
    app = create_app(
        SaleWorkerSettings(
            database_url=stack.database_url("purchases"),
            namespace=stack.namespace,
            sale_token_secret=secret,
        )
    )
    async with LifespanManager(app):
        yield app
