"""One trace from the click to the email: a purchase sent through the router with the browser's
`traceparent`, collected by an OTLP receiver in this process, is one trace from the router's
span to the email worker's SMTP send, along router → purchases (HTTP, GraphQL operation, outbox
publish) → email worker (consume, SMTP)."""

import asyncio
import secrets
from collections import Counter

import pytest

from tests.graphql_client import PURCHASE, TABLE, execute, follow_over_websocket
from tests.otlp_receiver import OtlpReceiver, ReceivedSpan
from tests.smtp_sink import SmtpSink
from tests.support import eventually
from tests.system import RunningSystem, start_system

SMTP_SPAN = "smtp send"


@pytest.fixture(scope="module")
def receiver() -> OtlpReceiver:
    otlp = OtlpReceiver()
    otlp.start()
    yield otlp
    otlp.stop()


@pytest.fixture(scope="module")
def traced_system(make_stack, receiver) -> RunningSystem:
    sink = SmtpSink()
    sink.start()
    running = start_system(
        make_stack("tracing"),
        OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf",
        OTEL_BSP_SCHEDULE_DELAY="200",  # export within a fifth of a second
        SMTP_URL=sink.url,  # only the email worker reads it
    )
    yield running
    running.stop()
    sink.stop()


def path_to_root(span: ReceivedSpan, by_id: dict[str, ReceivedSpan]) -> list[ReceivedSpan]:
    """The span and its ancestors, root first."""
    path = [span]
    while path[-1].parent_span_id in by_id:
        path.append(by_id[path[-1].parent_span_id])
    return path[::-1]


def services_along(path: list[ReceivedSpan]) -> list[str]:
    services: list[str] = []
    for span in path:
        if not services or services[-1] != span.service:
            services.append(span.service)
    return services


async def test_one_purchase_is_one_trace_from_the_router_to_the_smtp_send(traced_system, receiver):
    trace_id, browser_span = secrets.token_hex(16), secrets.token_hex(8)
    headers = {"traceparent": f"00-{trace_id}-{browser_span}-01"}
    bought = await execute(
        traced_system.graphql_url, PURCHASE, headers=headers, userId="1", itemId=TABLE
    )
    assert bought["purchase"]["id"]

    async def smtp_span() -> list[ReceivedSpan]:
        return [s for s in receiver.of_trace(trace_id) if s.name == SMTP_SPAN]

    [smtp] = await eventually(smtp_span, within=30)

    async def router_spans() -> list[ReceivedSpan]:
        return [s for s in receiver.of_trace(trace_id) if s.service == "router"]

    await eventually(router_spans, within=10)
    await asyncio.sleep(1)  # the rest of the batches (the report back to purchases)
    spans = receiver.of_trace(trace_id)
    by_id = {span.span_id: span for span in spans}
    path = path_to_root(smtp, by_id)
    chain = [(s.service, s.kind, s.name) for s in path]
    print(f"{len(spans)} spans in the trace, by service: {Counter(s.service for s in spans)}")
    print("chain:\n  " + "\n  ".join(map(str, chain)))
    for service in ("purchases", "email-worker"):
        print(service, sorted(Counter(s.name for s in spans if s.service == service).items()))

    # The router's root continues the browser's span; the path crosses each service once.
    assert path[0].service == "router" and path[0].parent_span_id == browser_span, chain
    assert services_along(path) == ["router", "purchases", "email-worker"], chain
    kinds = {(s.service, s.kind) for s in path}
    assert ("router", "CLIENT") in kinds, chain  # the router's call to the subgraph
    assert ("purchases", "SERVER") in kinds, chain  # FastAPI, and the GraphQL operation
    assert ("purchases", "PRODUCER") in kinds, chain  # the outbox relay's publish
    assert ("email-worker", "CONSUMER") in kinds, chain
    assert path[-1].kind == "CLIENT" and path[-1].service == "email-worker"
    names = [s.name for s in path]
    assert any(name.startswith("GraphQL Query") for name in names), chain  # strawberry, once
    # Beside the path: the user lookup (purchases → users over httpx) and SQL statements.
    services = {s.service for s in spans}
    assert "users" in services, Counter(s.service for s in spans)
    assert any(s.service == "purchases" and "db.system" in str(s.attributes) for s in spans)


async def test_subscriptions_still_complete_with_tracing_on(traced_system, receiver):
    bought = await execute(traced_system.graphql_url, PURCHASE, userId="2", itemId=TABLE)
    states = await follow_over_websocket(traced_system.graphql_url, bought["purchase"]["id"])
    assert states[-1]["email"] is not None
    logs = "".join(p.log_path.read_text() for p in traced_system.processes)
    assert "Failed to detach context" not in logs and "Traceback" not in logs
