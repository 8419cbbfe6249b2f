"""The run's results: a table on stdout, everything in `bench/results/<date>.json`."""

import json
from pathlib import Path

RESULTS = Path(__file__).with_name("results")


def write(results: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    suffix = "-quick" if results["quick"] else ""
    path = RESULTS / f"{results['started'][:16].replace(':', '')}{suffix}.json"
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return path


def _pipeline_line(label: str, run: dict | None) -> str:
    if run is None:
        return f"  {label}: no rate tried was sustained"
    ms = run["purchase_to_email_ms"]
    return (
        f"  {label}: {run['purchases_per_second']:.0f} purchases/s, {run['purchases']} purchases, "
        f"p50 {ms.get('p50')} ms, p99 {ms.get('p99')} ms, max {ms.get('max', 0):.0f} ms, "
        f"{run['lost']} lost, {run['dead_lettered']} dead-lettered"
    )


def p7_line(p7: dict) -> str:
    ms = p7["enter_ms"]
    return (
        f"P7 {p7['users']} users entering for {p7['units']} units: {p7['units_sold']} sold, "
        f"{p7['purchase_tokens']} purchase tokens, {p7['entered']} queued, "
        f"{p7['told_sold_out']} told sold out; enter p50 {ms['p50']} ms, p99 {ms['p99']} ms "
        f"({p7['enters_per_second']}/s); last purchase token written after "
        f"{p7['last_purchase_token_seconds']} s, queue decided after "
        f"{p7['queue_decided_seconds']} s"
    )


def table(results: dict) -> str:
    machine = results["machine"]
    lines = [
        f"fedshop bench, {results['started']} ({'quick' if results['quick'] else 'full'} run)",
        f"machine: {machine['cores']} cores, {machine['cpu_model']}, {machine['memory_gib']} GiB;"
        f" load average {results['load_average_before']} before, "
        f"{results['load_average_after']} after",
        "",
        f" #  {'measurement':<78} {'subject':>10} {'baseline':>10} {'ratio':>6}",
    ]
    for ratio in results["ratios"]:
        lines.append(
            f" {ratio['number']}  {ratio['title']:<78} {ratio['subject_rate']:>10.1f} "
            f"{ratio['baseline_rate']:>10.1f} {ratio['ratio']:>6.2f}"
        )
    if sql := results.get("sql_statements"):
        lines += ["", "SQL statements per users { purchases { item { name } } } request"]
        lines += _sql_lines(sql)
    if pipeline := next((r for r in results["ratios"] if r["number"] == 4), None):
        lines += [
            "",
            "purchase -> email recorded (emails.sent_at - purchases.created_at)",
            _pipeline_line(f"steady {pipeline['steady']['rate_asked']:.0f}/s", pipeline["steady"]),
            _pipeline_line("highest sustained", pipeline["highest_sustained"]),
        ]
    if p7 := results.get("p7"):
        lines += ["", p7_line(p7)]
    if p8 := results.get("p8"):
        lines += [
            "",
            f"P8 {p8['buyers']} concurrent buyers for {p8['units']} units: {p8['sold']} sold, "
            f"{p8['out_of_stock']} out_of_stock, {p8['stock_left']} left, "
            f"{p8['purchases_per_second']} purchases/s ({p8['seconds']} s)",
        ]
    if p9 := results.get("p9"):
        lines += [
            "",
            f"P9 the last page of 50 users with 10 purchases each: p50 "
            f"{p9['at_1000']['latency_ms']['p50']} ms at 1,000 users, "
            f"{p9['at_100000']['latency_ms']['p50']} ms at 100,000 (x{p9['p50_ratio']})",
        ]
    if done := results.get("checkouts"):
        lines += [
            "",
            f"checkouts: {done['checkouts']} at {done['checkouts_per_second']}/s, "
            f"{done['paid_and_emailed']} paid and emailed; checkout -> paid "
            f"p50 {done['to_paid_ms']['p50']} ms, p99 {done['to_paid_ms']['p99']} ms",
        ]
    return "\n".join(lines)


def _sql_lines(sql: dict) -> list[str]:
    lines = []
    for size, total in sql["per_request"].items():
        purchases = sql["purchases_subgraph"][size]
        lines.append(
            f"  {size:>4} users: cold {total['cold']} "
            f"({sql['users_subgraph']['cold']} users + {purchases['cold']} purchases), "
            f"warm {total['warm']} ({sql['users_subgraph']['warm']} + {purchases['warm']})"
        )
    return lines


def markdown(results: dict) -> str:
    """The ratios and the latencies as the Markdown tables of docs/performance.md."""
    lines = [
        "| # | measurement | subject | baseline | unit | ratio |",
        "|---|---|---:|---:|---|---:|",
    ]
    for ratio in results["ratios"]:
        lines.append(
            f"| {ratio['number']} | {ratio['title']} | {ratio['subject_rate']:.1f} "
            f"| {ratio['baseline_rate']:.1f} | {ratio['unit']} | **{ratio['ratio']:.2f}** |"
        )
    pipeline = next((r for r in results["ratios"] if r["number"] == 4), None)
    if pipeline is None:
        return "\n".join(lines)
    lines += [
        "",
        "| purchase → email recorded | purchases/s | purchases | p50 ms | p99 ms | max ms "
        "| lost | dead-lettered |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, run in (
        (f"steady {pipeline['steady']['rate_asked']:.0f}/s", pipeline["steady"]),
        ("highest sustained", pipeline["highest_sustained"]),
        *((f"attempt at {a['rate_asked']:.0f}/s", a) for a in pipeline["attempts"]),
    ):
        if run is None:
            continue
        ms = run["purchase_to_email_ms"]
        lines.append(
            f"| {label} | {run['purchases_per_second']:.1f} | {run['purchases']} | {ms['p50']} "
            f"| {ms['p99']} | {ms['max']:.0f} | {run['lost']} | {run['dead_lettered']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    print(markdown(json.loads(Path(sys.argv[1]).read_text())))
