"""SQL statements per `users { purchases { item { name } } }` request, for 3, 30 and 300 users.

The router splits that query into `users` on the users subgraph and `_entities` on the purchases
subgraph. Both apps run here in-process (assembled as in production), on the bench system's own
databases and Redis, with a
SQLAlchemy listener counting every statement sent (as `subgraphs/purchases/tests/test_graphql.py`
does): once with the cache emptied first (cold) and once right after (warm).
"""

from collections.abc import Awaitable, Callable

import httpx
from fedshop_common.cache import connect_redis
from fedshop_purchases.app import create_app as create_purchases_app
from fedshop_purchases.settings import PurchasesSettings
from fedshop_users.app import create_app as create_users_app
from fedshop_users.settings import UsersSettings
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.http_ratios import PURCHASES_OF_USERS, ROUTER_SECRET_HEADER
from bench.system import BenchSystem
from tests.support import REDIS_URL, started

# What the router asks the users subgraph for.
USERS_PAGE = "query { users(first: 100) { edges { node { id } } } }"


class StatementCounter:
    """Counts the reads of `tables` only: the outbox relay and other background work share the
    engine and would count otherwise."""

    def __init__(self, engine: AsyncEngine, *tables: str) -> None:
        self.count = 0
        self._reads = tuple(f"FROM {table}" for table in tables)
        event.listen(engine.sync_engine, "before_cursor_execute", self._record)

    def _record(self, _connection: object, _cursor: object, statement: str, *args: object) -> None:
        if any(read in statement for read in self._reads):
            self.count += 1

    async def during(self, request: Callable[[], Awaitable[object]]) -> int:
        self.count = 0
        await request()
        return self.count


async def count_statements(system: BenchSystem, user_ids: list[int], sizes: tuple[int, ...]):
    """{"users": {cold, warm}, "purchases": {size: {cold, warm}}, "per_request": {size: …}}."""
    prefix = f"{system.stack.namespace}fedshop"
    redis = connect_redis(REDIS_URL, 1.0)
    common = {"namespace": system.stack.namespace, "port": 0, "redis_url": REDIS_URL}
    users_app = create_users_app(
        UsersSettings(database_url=system.stack.database_url("users"), **common)
    )
    purchases_app = create_purchases_app(
        PurchasesSettings(
            database_url=system.stack.database_url("purchases"),
            users_url=system.running.users_url,
            **common,
        )
    )
    async with started(users_app) as users, started(purchases_app) as purchases:
        for client, app in ((users, users_app), (purchases, purchases_app)):
            # As the router sends them: with its shared secret.
            client.headers[ROUTER_SECRET_HEADER] = app.state.parts.settings.router_shared_secret
        users_sql = StatementCounter(users_app.state.engine, "users")
        purchases_sql = StatementCounter(purchases_app.state.engine, "purchases", "items")
        return await _count(
            redis, prefix, users, purchases, users_sql, purchases_sql, user_ids, sizes
        )


async def _graphql(client: httpx.AsyncClient, query: str, **variables: object) -> dict:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"]


async def _count(redis, prefix, users, purchases, users_sql, purchases_sql, user_ids, sizes):  # noqa: ANN001, ANN202
    async def users_page() -> None:
        await _graphql(users, USERS_PAGE)

    async def purchases_of(size: int) -> None:
        representations = [{"__typename": "User", "id": str(u)} for u in user_ids[:size]]
        data = await _graphql(purchases, PURCHASES_OF_USERS, representations=representations)
        assert len(data["_entities"]) == size

    try:
        await redis.delete(f"{prefix}:users:all")
        users_counts = {
            "cold": await users_sql.during(users_page),
            "warm": await users_sql.during(users_page),
        }
        purchases_counts = {}
        for size in sizes:
            await redis.incr(f"{prefix}:items:generation")  # every cached item replaced
            purchases_counts[size] = {
                "cold": await purchases_sql.during(lambda size=size: purchases_of(size)),
                "warm": await purchases_sql.during(lambda size=size: purchases_of(size)),
            }
    finally:
        await redis.aclose()
    return {
        "users_subgraph": users_counts,
        "purchases_subgraph": purchases_counts,
        "per_request": {
            size: {
                state: users_counts[state] + purchases_counts[size][state]
                for state in ("cold", "warm")
            }
            for size in sizes
        },
    }
