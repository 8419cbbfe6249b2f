"""What the orders tests share: items with counted stock (made through item events, as the
warehouse would), checkouts, payment outcomes and reads of the database."""

import random
import uuid

from fedshop_common.events import (
    CatalogItem,
    ItemChange,
    ItemChanged,
    PaymentCompleted,
    PaymentStatus,
)
from sqlalchemy import create_engine, text

from tests.support import eventually


def new_id() -> int:
    return random.randint(10_000, 2_000_000_000)


async def send(broker, event) -> None:
    await broker.publish(event.routing_key, event.model_dump_json().encode(), str(event.event_id))


async def stocked_item(client, broker, quantity: int | None, price: float = 5, **fields) -> int:
    """A new item in the shop's copy with `quantity` sellable units (None: untracked)."""
    item_id = new_id()
    values = {"name": f"Perch {item_id}", "price": price, "quantity": quantity} | fields
    await send(
        broker,
        ItemChanged(change=ItemChange.CREATED, item=CatalogItem(id=item_id, version=1, **values)),
    )

    async def copied() -> bool:  # inactive items are not listed; GraphQL shows any
        query = {"query": "query($id: ID!) { item(id: $id) { id } }", "variables": {"id": item_id}}
        return (await client.post("/graphql", json=query)).json()["data"]["item"] is not None

    await eventually(copied)
    return item_id


async def stock_of(client, item_id: int) -> int | None | str:
    """The sellable units the shop shows now ("missing" when not copied or inactive)."""
    items = {i["id"]: i for i in (await client.get("/items")).json()}
    return items[item_id]["quantity"] if item_id in items else "missing"


async def checkout(client, user_id, items, headers=None, **body):
    return await client.post(
        "/api/checkout", json={"user_id": user_id, "items": items, **body}, headers=headers or {}
    )


def payment(order: dict, status: PaymentStatus, reason: str | None = None) -> PaymentCompleted:
    return PaymentCompleted(
        payment_id=uuid.uuid4(),
        order_id=uuid.UUID(order["id"]),
        status=status,
        amount=order["total"],
        reason=reason,
    )


class Database:
    """Counts and reads straight from the service's database."""

    def __init__(self, url: str) -> None:
        self._engine = create_engine(url)

    def scalar(self, sql: str, **params):  # noqa: ANN201
        with self._engine.connect() as connection:
            return connection.execute(text(sql), params).scalar_one()

    def counts(self) -> tuple[int, int, int]:
        """(orders, purchases, outbox rows): a refused request leaves them as they were."""
        return (
            self.scalar("SELECT count(*) FROM orders"),
            self.scalar("SELECT count(*) FROM purchases"),
            self.scalar("SELECT count(*) FROM outbox"),
        )

    def stock(self, item_id: int) -> int | None:
        return self.scalar("SELECT stock FROM items WHERE id = :id", id=item_id)

    def close(self) -> None:
        self._engine.dispose()
