"""How long each measurement runs: the full run, or a smoke run with BENCH_QUICK=1."""

import os
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Plan:
    quick: bool
    warmup_seconds: float  # before each load, not counted
    load_seconds: float  # each side of a throughput ratio, split in two halves (A B B A)
    connections: int  # concurrent operations of a closed-loop load
    steady_rate: float  # purchases per second of the latency run
    steady_seconds: float
    probe_seconds: float  # each attempt at the highest rate the pipeline sustains
    probe_attempts: int
    worker_events: int  # events queued for the email worker, and for the bare consumer
    page_users: int = 30  # users on the page that measurements 1-3 read
    sql_users: tuple[int, ...] = (3, 30, 300)
    checkouts: int = 300  # orders placed, paid and emailed (issue 17)


FULL = Plan(
    quick=False,
    warmup_seconds=3,
    load_seconds=20,
    connections=16,
    steady_rate=100,
    steady_seconds=60,
    probe_seconds=20,
    probe_attempts=4,
    worker_events=3000,
)
# A smoke run: the same measurements, shorter and smaller.
QUICK = replace(
    FULL,
    quick=True,
    warmup_seconds=1,
    load_seconds=4,
    steady_seconds=10,
    probe_seconds=5,
    probe_attempts=2,
    worker_events=500,
    checkouts=50,
)


def plan_from_env() -> Plan:
    return QUICK if os.environ.get("BENCH_QUICK") == "1" else FULL
