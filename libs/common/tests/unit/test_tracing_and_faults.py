"""Tracing is off (and costs nothing) without an endpoint; logs carry the ids of the active
span; faults happen at their rate and only where they are meant to."""

import asyncio

import pytest
import structlog
from fedshop_common import tracing
from fedshop_common.faults import Faults, InjectedFault, SlowRequests
from fedshop_common.logging import add_trace_ids
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider


def test_tracing_is_off_without_an_endpoint(monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    assert tracing.configure_tracing("users") is False
    assert tracing._provider is None
    assert not isinstance(trace.get_tracer_provider(), TracerProvider)
    assert tracing.current_headers() is None  # the outbox stores nothing


def test_the_outbox_headers_carry_the_active_span_and_logs_its_ids():
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("request") as span:
        headers = tracing.current_headers()
        event = add_trace_ids(None, "info", {"event": "x"})
    ids = span.get_span_context()
    assert headers["traceparent"].startswith(f"00-{ids.trace_id:032x}-{ids.span_id:016x}-")
    assert event["trace_id"] == f"{ids.trace_id:032x}" and event["span_id"] == f"{ids.span_id:016x}"
    assert "trace_id" not in add_trace_ids(None, "info", {"event": "no span"})


def test_a_stored_context_is_continued():
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("request"):
        headers = tracing.current_headers()
    with tracing.continued_from(headers), tracer.start_as_current_span("publish") as child:
        assert child.parent.span_id == int(headers["traceparent"].split("-")[2], 16)
    with tracing.continued_from(None):
        assert not trace.get_current_span().get_span_context().is_valid


def test_smtp_refusals_happen_at_their_rate():
    never, always = Faults("email-worker"), Faults("email-worker", smtp_refuse_rate=1.0)
    never.refuse_smtp()
    with pytest.raises(InjectedFault):
        always.refuse_smtp()
    half = Faults("email-worker", smtp_refuse_rate=0.5)
    refused = 0
    for _ in range(400):
        try:
            half.refuse_smtp()
        except InjectedFault:
            refused += 1
    assert 120 < refused < 280


def test_only_the_users_service_is_slowed_and_updates_are_checked():
    assert Faults("users", users_slow_ms=250).request_delay_seconds == 0.25
    assert Faults("purchases", users_slow_ms=250).request_delay_seconds == 0
    faults = Faults("payments")
    assert faults.payment_declined() is False
    faults.update(payments_decline_rate=1)
    assert faults.payment_declined() is True
    for bad in ({"payments_decline_rate": 2}, {"users_slow_ms": -1}, {"nothing": 1}):
        with pytest.raises(ValueError):
            faults.update(**bad)


async def test_slow_requests_wait_but_health_does_not():
    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])

    slow = SlowRequests(app, Faults("users", users_slow_ms=200))
    loop = asyncio.get_running_loop()
    for path, at_least, at_most in (("/users", 0.2, 5), ("/health/ready", 0, 0.1)):
        started = loop.time()
        await slow({"type": "http", "path": path}, None, None)
        assert at_least <= loop.time() - started < at_most, path
    assert calls == ["/users", "/health/ready"]


def test_structlog_is_configured_with_the_trace_processor():
    from fedshop_common.logging import configure_logging

    configure_logging("test")
    assert add_trace_ids in structlog.get_config()["processors"]
