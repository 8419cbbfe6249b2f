"""P6 and P9, the lists.

P6: a page of users as GraphQL straight to the users subgraph vs the same data over REST
(`GET /users?limit=50`): what strawberry's per-object resolution costs over plain JSON.

P9: a page of 50 users with their last 10 purchases each, through the router, deep in the list
(the last page), at 1,000 users and again at 100,000: keyset pages and batched loaders should
make the p50 the same (the goal: within 20 %). The 99,000 more users are written with SQL (the
API would take minutes); each measured page's users get 12 purchases through the API first.
"""

import psycopg
from fedshop_users.repository import BY_ID

from bench.http_ratios import ROUTER_SECRET_HEADER, _compare
from bench.load import graphql_request, requests_of, run_load
from bench.plan import Plan
from bench.ratio import Ratio
from bench.seed import CHEAP_ITEM, seed_purchases, seed_users
from bench.system import BenchSystem

PAGE, PURCHASES_EACH = 50, 12
USERS_PAGE = (
    "query UsersPage { users(first: 50) { edges { node { id firstName lastName email } } } }"
)
DEEP_PAGE = (
    "query DeepPage($after: String) { users(first: 50, after: $after) { edges { node { id "
    "firstName purchases(first: 10) { edges { node { id price createdAt } } } } } "
    "pageInfo { hasNextPage } } }"
)


def users_list_graphql_vs_rest(system: BenchSystem, plan: Plan) -> Ratio:
    running = system.running
    secret = {ROUTER_SECRET_HEADER: running.router_secret}
    return _compare(
        6,
        "a page of users as GraphQL straight to the subgraph vs the same data over REST",
        (
            "users(first: 50) { id firstName lastName email }, posted to the users subgraph",
            "GET /users?limit=50 on the same service: the same users and fields as JSON",
        ),
        plan,
        (
            requests_of(graphql_request(f"{running.users_url}/graphql", USERS_PAGE, **secret)),
            requests_of({"url": f"{running.users_url}/users?limit={PAGE}"}),
        ),
        {"users": system.pids["users"]},
    )


def _add_users_by_sql(system: BenchSystem, total: int) -> None:
    with psycopg.connect(system.libpq_url("users"), autocommit=True) as db:
        have = db.execute("SELECT count(*) FROM users").fetchone()[0]
        db.execute(
            "INSERT INTO users (first_name, last_name, email, role) "
            "SELECT 'Bench', 'Deep ' || n, 'deep.' || n || '@example.com', 'customer' "
            "FROM generate_series(%s, %s) AS n",
            (have + 1, total),
        )


def _last_page(system: BenchSystem) -> tuple[list[int], str]:
    """The ids of the last PAGE users and the cursor that opens their page."""
    with psycopg.connect(system.libpq_url("users")) as db:
        ids = [
            row[0]
            for row in db.execute("SELECT id FROM users ORDER BY id DESC LIMIT %s", (PAGE + 1,))
        ]
    before, page = ids[-1], sorted(ids[:-1])

    class Row:
        id = before

    return page, BY_ID.cursor_of(Row)


def _page_latency(system: BenchSystem, plan: Plan, users: int) -> dict:
    page, cursor = _last_page(system)
    seed_purchases(system, [(user, CHEAP_ITEM) for user in page for _ in range(PURCHASES_EACH)])
    operation = requests_of(
        graphql_request(system.running.graphql_url, DEEP_PAGE, {"after": cursor})
    )
    result = run_load(
        operation,
        duration=plan.load_seconds,
        connections=4,
        warmup=plan.warmup_seconds,
        watch={name: system.pids[name] for name in ("router", "users", "purchases")},
    )
    return {"users": users, **result.as_json()}


def deep_page_at_scale(system: BenchSystem, plan: Plan) -> dict:
    seed_users(system, 1000)
    small = _page_latency(system, plan, 1000)
    _add_users_by_sql(system, 100_000)
    large = _page_latency(system, plan, 100_000)
    p50s = (small["latency_ms"]["p50"], large["latency_ms"]["p50"])
    return {
        "at_1000": small,
        "at_100000": large,
        "p50_ratio": round(p50s[1] / p50s[0], 2) if all(p50s) else None,
    }
