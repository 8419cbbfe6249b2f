"""`make load`: a realistic mix against any deployment's router (`LOAD_URL`, default the local
one), bounded by default in users, rate and time (LOAD_USERS=5 users at one operation a second
each, for LOAD_DURATION=60s; `make load LOAD_USERS=20 LOAD_DURATION=5m` for more).

The mix, per user: browse the users and the items (most of it), look at one item and at one
purchase, buy (a tenth). Checking out a basket and entering a sale are placeholders until the
checkout and sale issues add them. Traffic goes only where LOAD_URL points.

Combine with faults on demand (README, "Faults on demand") and watch the dashboard.
"""

import os
import random
import uuid

from locust import HttpUser, constant_throughput, events, task

USERS_QUERY = "query Users { users(first: 20) { edges { node { id firstName lastName } } } }"
ITEMS_QUERY = "query Items { items { id name price } }"
ITEM_QUERY = "query Item($id: ID!) { item(id: $id) { id name price } }"
PURCHASE_QUERY = "query Purchase($id: ID!) { purchase(id: $id) { id status email { kind } } }"
BUY = """mutation Buy($userId: ID!, $itemId: ID!, $key: String) {
  purchase(userId: $userId, itemId: $itemId, idempotencyKey: $key) { id status price }
}"""
# Each user does at most this many operations a second (LOAD_RATE, default 1).
RATE = float(os.environ.get("LOAD_RATE", "1"))


class Shopper(HttpUser):
    wait_time = constant_throughput(RATE)

    def on_start(self) -> None:
        page = self.graphql("Users", USERS_QUERY).get("users") or {"edges": []}
        self.user_ids = [edge["node"]["id"] for edge in page["edges"]]
        self.items = self.graphql("Items", ITEMS_QUERY).get("items", [])
        self.purchases: list[str] = []

    def graphql(self, name: str, query: str, **variables) -> dict:
        with self.client.post(
            "/graphql",
            json={"query": query, "variables": variables, "operationName": name},
            name=name,
            catch_response=True,
        ) as response:
            body = response.json() if response.ok else {}
            if not response.ok or body.get("errors"):
                errors = body.get("errors") or response.text[:200]
                response.failure(f"{response.status_code}: {errors}")
                return {}
            return body.get("data") or {}

    @task(4)
    def browse_users(self) -> None:
        self.graphql("Users", USERS_QUERY)

    @task(4)
    def browse_items(self) -> None:
        self.graphql("Items", ITEMS_QUERY)

    @task(2)
    def look_at_an_item(self) -> None:
        if self.items:
            self.graphql("Item", ITEM_QUERY, id=random.choice(self.items)["id"])

    @task(1)
    def look_at_a_purchase(self) -> None:
        if self.purchases:
            self.graphql("Purchase", PURCHASE_QUERY, id=random.choice(self.purchases))

    @task(1)
    def buy(self) -> None:
        affordable = [item for item in self.items if float(item["price"]) <= 50]
        if not self.user_ids or not affordable:
            return
        bought = self.graphql(
            "Buy",
            BUY,
            userId=random.choice(self.user_ids),
            itemId=random.choice(affordable)["id"],
            key=str(uuid.uuid4()),
        )
        if purchase := bought.get("purchase"):
            self.purchases = [*self.purchases[-99:], purchase["id"]]

    # Placeholders, given a weight once their operations exist:
    # - check out a basket (the checkout issue): add items, `checkout`, follow the payment;
    # - enter a sale (the sale issue): a burst of buyers on one limited item.


@events.init_command_line_parser.add_listener
def _defaults(parser) -> None:  # noqa: ANN001
    parser.set_defaults(host=os.environ.get("LOAD_URL", "http://127.0.0.1:4000"))
