"""SQL statements per `users { purchases { item { name } } }` request, for 3, 30 and 300 users.

The router splits that query into `users` on the users subgraph and `_entities` on the purchases
subgraph. Both apps run here in-process (assembled as in production), on the bench system's own
databases and Redis, with a
SQLAlchemy listener counting every statement sent (as `subgraphs/purchases/tests/test_graphql.py`
does): once with the cache emptied first (cold) and once right after (warm).
"""

from collections.abc import Awaitable, Callable

from fedshop_common.cache import connect_redis
from fedshop_purchases import schema as purchases_graphql
from fedshop_purchases.app import create_app as create_purchases_app
from fedshop_purchases.settings import PurchasesSettings
from fedshop_users import schema as users_graphql
from fedshop_users.app import create_app as create_users_app
from fedshop_users.settings import UsersSettings
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.http_ratios import PURCHASES_OF_USERS
from bench.system import BenchSystem
from tests.support import REDIS_URL, started

# What the router asks the users subgraph for.
USERS_PAGE = "query { users(first: 100) { edges { node { id } } } }"


class StatementCounter:
    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._record)

    def _record(self, *args: object) -> None:
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
    async with started(users_app), started(purchases_app):
        users, purchases = users_app.state.users, purchases_app.state.purchases
        users_sql = StatementCounter(users_app.state.engine)
        purchases_sql = StatementCounter(purchases_app.state.engine)
        return await _count(
            redis, prefix, users, purchases, users_sql, purchases_sql, user_ids, sizes
        )


async def _count(redis, prefix, users, purchases, users_sql, purchases_sql, user_ids, sizes):  # noqa: ANN001, ANN202
    async def users_page() -> None:
        context = users_graphql.Context(users)
        result = await users_graphql.schema.execute(USERS_PAGE, context_value=context)
        assert not result.errors, result.errors

    async def purchases_of(size: int) -> None:
        representations = [{"__typename": "User", "id": str(u)} for u in user_ids[:size]]
        context = purchases_graphql.Context(purchases, changes=None)
        result = await purchases_graphql.schema.execute(
            PURCHASES_OF_USERS,
            variable_values={"representations": representations},
            context_value=context,
        )
        assert not result.errors, result.errors
        assert len(result.data["_entities"]) == size

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
