"""Profile one process of the running system under one of the bench's loads, with py-spy.

    .venv/bin/python -m bench.profile LOAD PROCESS [SECONDS]

LOAD is nested, nested-direct, user-by-id, cached-user or purchase; PROCESS is the Python
process to sample: users, purchases or email-worker. `queued-events email-worker` samples the
email worker draining queued purchase events, as measurement 5 does. Writes the sampled stacks
(py-spy's collapsed "raw" format, for flame graphs) to
`test-artifacts/profiles/<load>-<process>.txt` and prints the functions that hold the most time.
"""

import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from bench.http_ratios import (
    PURCHASES_OF_USERS,
    ROUTER_SECRET_HEADER,
    USERS_PURCHASES_THROUGH_ROUTER,
    VARIANTS,
)
from bench.load import JSON_HEADERS, graphql_request, requests_of, run_load
from bench.plan import QUICK
from bench.seed import CHEAP_ITEM, DEAR_ITEM, purchase_bodies, seed_purchases, seed_users
from bench.system import BenchSystem, bench_system
from bench.worker_throughput import draining_email_worker
from tests.support import ROOT, VENV_BIN

PROFILES = ROOT / "test-artifacts" / "profiles"
SAMPLES_PER_SECOND = 200
# Threads of a thread pool waiting for work: py-spy counts them, but they use no CPU.
IDLE_FRAMES = ("_worker (concurrent/futures/thread.py",)


def load_named(name: str, system: BenchSystem, user_ids: list[int]) -> dict:
    running = system.running
    if name == "nested":
        return requests_of(
            *(
                graphql_request(running.graphql_url, USERS_PURCHASES_THROUGH_ROUTER.format(n=n))
                for n in range(VARIANTS)
            )
        )
    if name == "nested-direct":
        return {
            "kind": "users-then-purchases",
            "usersUrl": f"{running.users_url}/users",
            "purchasesUrl": f"{running.purchases_url}/graphql",
            "headers": {ROUTER_SECRET_HEADER: running.router_secret},
            "query": PURCHASES_OF_USERS,
        }
    if name == "user-by-id":
        query = "query($id: ID!) { user(id: $id) { id firstName lastName email } }"
        return requests_of(
            *(graphql_request(running.graphql_url, query, {"id": str(u)}) for u in user_ids)
        )
    if name == "cached-user":
        return requests_of(*({"url": f"{running.users_url}/users/{u}"} for u in user_ids))
    if name == "purchase":
        url = f"{running.purchases_url}/purchase"
        return requests_of(
            *(
                {"url": url, "method": "POST", "headers": JSON_HEADERS, "body": body}
                for body in purchase_bodies(user_ids, 1000)
            )
        )
    raise SystemExit(f"unknown load {name}")


def hottest(raw: Path, top: int = 30) -> str:
    """The functions holding the most busy samples, inclusive of what they call; the frames
    under nearly every sample (the event loop, the server) are left out."""
    inclusive: Counter[str] = Counter()
    busy = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if frames[-1].startswith(IDLE_FRAMES):
            continue
        busy += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
    shares = [(100 * n / busy, frame) for frame, n in inclusive.most_common()]
    kept = [f"{share:5.1f}%  {frame}" for share, frame in shares if share < 60]
    return "\n".join(kept[:top])


def _record(pid: int, seconds: float, out: Path) -> None:
    PROFILES.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            str(VENV_BIN / "py-spy"),
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(int(seconds)),
            "--rate",
            str(SAMPLES_PER_SECOND),
            "--format",
            "raw",
            "--output",
            str(out),
        ],
        check=True,
        capture_output=True,
    )


def queued_events(seconds: float) -> Path:
    """The email worker draining more queued events than it handles in `seconds`."""
    out = PROFILES / "queued-events-email-worker.txt"
    with draining_email_worker(int(seconds * 1000)) as pid:
        _record(pid, seconds, out)
    return out


def main(load: str, process: str, seconds: float = 20) -> None:
    if load == "queued-events":
        out = queued_events(seconds)
        print(hottest(out))
        print(f"\nstacks written to {out}")
        return
    with bench_system() as system:
        page = seed_users(system, QUICK.page_users)
        seed_purchases(system, [(u, item) for u in page for item in (CHEAP_ITEM, DEAR_ITEM)])
        operation = load_named(load, system, page)
        out = PROFILES / f"{load}-{process}.txt"
        driving = threading.Thread(
            target=run_load,
            args=(operation,),
            kwargs={"duration": seconds + 4, "connections": 16, "warmup": 2},
        )
        driving.start()
        _record(system.pids[process], seconds, out)
        driving.join()
    print(hottest(out))
    print(f"\nstacks written to {out}")


if __name__ == "__main__":
    main(*sys.argv[1:3], *(float(s) for s in sys.argv[3:4]))
