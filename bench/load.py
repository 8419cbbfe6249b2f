"""Runs a load with the Node driver (`load.mjs`, undici) and reads back what it measured."""

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.machine import Usage

DRIVER = Path(__file__).with_name("load.mjs")
JSON_HEADERS = {"content-type": "application/json"}


@dataclass
class LoadResult:
    operations: int
    errors: int
    seconds: float
    latency_ms: dict[str, float | None]
    machine_busy: float = 0.0
    cpu_ms_per_operation: dict[str, float] = field(default_factory=dict)
    last_error: str | None = None

    @property
    def per_second(self) -> float:
        return self.operations / self.seconds if self.seconds else 0.0

    @classmethod
    def combined(cls, halves: list["LoadResult"]) -> "LoadResult":
        """One result from the halves of an A B B A run: counts add up; the median latency is
        the halves' mean, the tail their worst."""
        operations = sum(h.operations for h in halves)
        seconds = sum(h.seconds for h in halves)
        cpu = {}
        for name in halves[0].cpu_ms_per_operation:
            spent = sum(h.cpu_ms_per_operation[name] * h.operations for h in halves)
            cpu[name] = round(spent / max(1, operations), 3)
        p50s = [h.latency_ms["p50"] for h in halves if h.latency_ms["p50"] is not None]
        p99s = [h.latency_ms["p99"] for h in halves if h.latency_ms["p99"] is not None]
        return cls(
            operations=operations,
            errors=sum(h.errors for h in halves),
            seconds=seconds,
            latency_ms={
                "p50": round(sum(p50s) / len(p50s), 2) if p50s else None,
                "p99": max(p99s, default=None),
            },
            machine_busy=round(sum(h.machine_busy * h.seconds for h in halves) / seconds, 3),
            cpu_ms_per_operation=cpu,
            last_error=next((h.last_error for h in halves if h.last_error), None),
        )

    def as_json(self) -> dict:
        return {
            "operations": self.operations,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "per_second": round(self.per_second, 1),
            "latency_ms": self.latency_ms,
            "machine_busy": self.machine_busy,
            "cpu_ms_per_operation": self.cpu_ms_per_operation,
            "last_error": self.last_error,
        }


def requests_of(*requests: dict) -> dict:
    """An operation that is one request, taking `requests` in turn."""
    return {"kind": "request", "requests": list(requests)}


def graphql_request(url: str, query: str, variables: dict | None = None, **headers: str) -> dict:
    body = {"query": query, "variables": variables or {}}
    return {
        "url": url,
        "method": "POST",
        "graphql": True,
        "headers": JSON_HEADERS | headers,
        "body": body,
    }


def run_load(
    operation: dict,
    *,
    duration: float,
    connections: int,
    warmup: float = 0,
    rate: float | None = None,
    watch: dict[str, int] | None = None,
) -> LoadResult:
    """Drive `operation` for `duration` seconds, closed-loop over `connections`, or open-loop at
    `rate` per second; `watch` names the processes whose CPU time per operation to report."""
    if warmup:
        _drive(operation, warmup, connections, rate)
    with Usage(watch or {}) as usage:
        measured = _drive(operation, duration, connections, rate)
    operations = measured["operations"]
    return LoadResult(
        operations=operations,
        errors=measured["errors"],
        seconds=measured["seconds"],
        latency_ms=measured["latency_ms"],
        machine_busy=usage.machine_busy,
        cpu_ms_per_operation={
            name: round(seconds * 1000 / max(1, operations), 3)
            for name, seconds in usage.cpu_seconds.items()
        },
        last_error=measured["last_error"],
    )


def _drive(operation: dict, duration: float, connections: int, rate: float | None) -> dict:
    load = {"operation": operation, "duration": duration, "connections": connections, "rate": rate}
    finished = subprocess.run(
        ["node", str(DRIVER)],
        input=json.dumps(load),
        capture_output=True,
        text=True,
        check=True,
        cwd=DRIVER.parent,
    )
    return json.loads(finished.stdout)
