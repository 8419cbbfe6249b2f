"""Measurements 1-3: the throughput of a path as a ratio to a baseline path, both driven alike.

Each side runs twice, in the order baseline, subject, subject, baseline, so that a change in the
machine's load during the run weighs on both sides alike.
"""

from bench.load import LoadResult, graphql_request, requests_of, run_load
from bench.plan import Plan
from bench.ratio import Ratio
from bench.system import BenchSystem

ROUTER_SECRET_HEADER = "x-fedshop-router-secret"
# Hive Gateway merges identical subgraph requests in flight (deduplicateInflightRequests). Each
# request of measurement 2 gets its own aliases, which the gateway passes on to both subgraphs,
# so that no two requests in flight are the same and each costs its full price. More variants
# than connections; few enough that every plan and parsed document stays cached.
VARIANTS = 64
USERS_PURCHASES_THROUGH_ROUTER = (
    "query UsersPurchases {{ users(first: 50) {{ edges {{ node {{ u{n}: __typename "
    "purchases(first: 10) {{ edges {{ node {{ item {{ i{n}: name }} }} }} }} }} }} }} }}"
)
PURCHASES_OF_USERS = (
    "query PurchasesOfUsers($representations: [_Any!]!) { _entities(representations: "
    "$representations) { ... on User { purchases { edges { node { item { name } } } } } } }"
)
USER_BY_ID = "query UserById($id: ID!) { user(id: $id) { id firstName lastName email } }"


def _compare(
    number: int,
    title: str,
    described: tuple[str, str],
    plan: Plan,
    operations: tuple[dict, dict],
    watch: dict[str, int],
) -> Ratio:
    """Drive the subject and the baseline operation alike, A B B A, and compare them."""

    def half(operation: dict) -> LoadResult:
        return run_load(
            operation,
            duration=plan.load_seconds / 2,
            connections=plan.connections,
            warmup=plan.warmup_seconds,
            watch=watch,
        )

    subject, baseline = operations
    first_baseline, first_subject = half(baseline), half(subject)
    second_subject, second_baseline = half(subject), half(baseline)
    subject_result = LoadResult.combined([first_subject, second_subject])
    baseline_result = LoadResult.combined([first_baseline, second_baseline])
    return Ratio(
        number,
        title,
        *described,
        subject_result.per_second,
        baseline_result.per_second,
        "operations/s",
        {"subject_load": subject_result.as_json(), "baseline_load": baseline_result.as_json()},
    )


def cached_user_vs_bare_fastapi(system: BenchSystem, plan: Plan, user_ids: list[int]) -> Ratio:
    bare_url = system.start_python("bare-app", "bench.bare_app")
    users_url = system.running.users_url
    return _compare(
        1,
        "cached GET /users/{id} vs a bare FastAPI JSON endpoint",
        (
            "users service GET /users/{id}, answered from Redis, ids varied",
            "a bare FastAPI route: same path, response model and server, answer from a dict",
        ),
        plan,
        (
            requests_of(*({"url": f"{users_url}/users/{user}"} for user in user_ids)),
            requests_of(*({"url": f"{bare_url}/users/{user}"} for user in user_ids)),
        ),
        {name: system.pids[name] for name in ("users", "bare-app")},
    )


def nested_query_router_vs_direct(system: BenchSystem, plan: Plan) -> Ratio:
    running = system.running
    through_router = [
        graphql_request(running.graphql_url, USERS_PURCHASES_THROUGH_ROUTER.format(n=n))
        for n in range(VARIANTS)
    ]
    direct = {
        "kind": "users-then-purchases",
        "usersUrl": f"{running.users_url}/users",
        "purchasesUrl": f"{running.purchases_url}/graphql",
        "headers": {ROUTER_SECRET_HEADER: running.router_secret},
        "query": PURCHASES_OF_USERS,
    }
    return _compare(
        2,
        "users { purchases { item { name } } } through the router vs read directly",
        (
            "the query through the router, aliases varied so that none is de-duplicated",
            "GET /users over REST, then the purchases subgraph's _entities for those users "
            "(REST has no route for a user's purchases)",
        ),
        plan,
        (requests_of(*through_router), direct),
        {name: system.pids[name] for name in ("router", "users", "purchases")},
    )


def router_vs_subgraph(system: BenchSystem, plan: Plan, user_ids: list[int]) -> Ratio:
    running = system.running
    secret = {ROUTER_SECRET_HEADER: running.router_secret}
    subgraph_url = f"{running.users_url}/graphql"
    return _compare(
        3,
        "the router's cost: a single-subgraph query through the router vs straight to it",
        (
            "user(id) { id firstName lastName email } through the router, ids varied",
            "the same query and ids posted straight to the users subgraph",
        ),
        plan,
        (
            requests_of(
                *(
                    graphql_request(running.graphql_url, USER_BY_ID, {"id": str(u)})
                    for u in user_ids
                )
            ),
            requests_of(
                *(
                    graphql_request(subgraph_url, USER_BY_ID, {"id": str(u)}, **secret)
                    for u in user_ids
                )
            ),
        ),
        {name: system.pids[name] for name in ("router", "users")},
    )
