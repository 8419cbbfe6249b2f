"""`make bench`: start the system as `make dev` does, measure every ratio and P7–P9, report
them. `python -m bench p1 p5` runs only the measurements named (p1–p9, sql, checkouts)."""

import asyncio
import os
import sys
from datetime import UTC, datetime

from bench import report
from bench.checkouts import checkouts
from bench.email_latency import pipeline_vs_front_door
from bench.http_ratios import (
    cached_user_vs_bare_fastapi,
    nested_query_router_vs_direct,
    router_vs_subgraph,
)
from bench.lists import deep_page_at_scale, users_list_graphql_vs_rest
from bench.machine import describe, load_average
from bench.plan import plan_from_env
from bench.sale_rush import sale_rush
from bench.seed import CHEAP_ITEM, DEAR_ITEM, seed_purchases, seed_users
from bench.sql_count import count_statements
from bench.stock_race import stock_race
from bench.system import bench_system
from bench.worker_throughput import worker_vs_bare_consumer


def step(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def main() -> None:
    plan = plan_from_env()
    wanted = {name.lower() for name in sys.argv[1:]}

    def chosen(name: str) -> bool:
        return not wanted or name in wanted

    os.environ.pop("SMTP_URL", None)  # the emails are logged, as `make dev` does by default
    started = datetime.now(UTC)
    results: dict = {
        "started": started.isoformat(timespec="seconds"),
        "quick": plan.quick,
        "machine": describe(),
        "load_average_before": load_average(),
        "plan": plan.__dict__,
        "only": sorted(wanted),
    }
    ratios = []
    step("starting users, purchases, the inventory, the email worker and the router")
    with bench_system() as system:
        step(f"seeding {plan.page_users} users with two purchases each")
        page = seed_users(system, plan.page_users)
        seed_purchases(system, [(u, item) for u in page for item in (CHEAP_ITEM, DEAR_ITEM)])
        if chosen("p1"):
            step("1: cached GET /users/{id} vs bare FastAPI")
            ratios.append(cached_user_vs_bare_fastapi(system, plan, page))
        if chosen("p2"):
            step("2: users { purchases { item { name } } } through the router vs direct")
            ratios.append(nested_query_router_vs_direct(system, plan))
        if chosen("p3"):
            step("3: single-subgraph query through the router vs straight to the subgraph")
            ratios.append(router_vs_subgraph(system, plan, page))
        step(f"seeding up to {max(plan.sql_users)} users, one purchase each; counting SQL")
        everyone = seed_users(system, max(plan.sql_users))
        seed_purchases(system, [(u, CHEAP_ITEM) for u in everyone if u not in page])
        if chosen("sql"):
            sizes = plan.sql_users
            results["sql_statements"] = asyncio.run(count_statements(system, everyone, sizes))
        if chosen("p4"):
            step("4: purchase -> email latency, steady and at the highest sustained rate")
            ratios.append(pipeline_vs_front_door(system, plan, everyone))
        if chosen("p8"):
            step("P8: 500 concurrent buyers for 50 units")
            results["p8"] = stock_race(system)
        if chosen("p7"):
            step("P7: 2,000 users entering a flash sale for 100 units")
            results["p7"] = sale_rush(system)
        if chosen("checkouts"):
            step(f"checkouts: {plan.checkouts} orders placed, paid by the worker and emailed")
            results["checkouts"] = checkouts(system, plan.checkouts)
        if chosen("p6"):
            step("6: a page of users as GraphQL straight to the subgraph vs REST")
            ratios.append(users_list_graphql_vs_rest(system, plan))
        if chosen("p9"):
            step("P9: the last page of 50 users with 10 purchases each, at 1,000 and 100,000 users")
            results["p9"] = deep_page_at_scale(system, plan)
    if chosen("p5"):
        step("5: email worker vs bare aio-pika consumer")
        ratios.append(worker_vs_bare_consumer(plan))
    results["ratios"] = [ratio.as_json() for ratio in ratios]
    results["load_average_after"] = load_average()
    results["seconds"] = round((datetime.now(UTC) - started).total_seconds())
    path = report.write(results)
    print(report.table(results))
    print(f"\nwritten to {path.relative_to(path.parent.parent.parent)}")


if __name__ == "__main__":
    main()
