"""OpenTelemetry traces, off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set.

Off, nothing is installed: no provider, no instrumentation, no exporter thread, no connection;
the OpenTelemetry API's no-op tracer answers the few calls the code makes (the outbox asks for
the current context, the SMTP send opens a span) at the cost of a function call.

On, `configure_tracing` (called once per service by `fedshop_common.service.assemble`) installs:

- a tracer provider for the service (`service.name` = the service's name, or
  `OTEL_SERVICE_NAME`), exporting in batches over OTLP HTTP/protobuf (the SDK reads the standard
  `OTEL_EXPORTER_OTLP_*` and `OTEL_BSP_*` variables: endpoint, headers, batch delay);
- the maintained instrumentations: FastAPI (server spans; `/health*` and `/metrics` excluded),
  SQLAlchemy (one span per statement, on the service's engine), Redis, httpx (client spans,
  `traceparent` sent: purchases → users), aio-pika (a producer span per publish with the
  context in the AMQP headers; a consumer span per message, continuing the trace those headers
  carry);
- strawberry's `OpenTelemetryExtension` at operation level: a span per GraphQL operation (with
  parse and validate), never one per field.

The outbox keeps the context of the request that wrote an event (`outbox.add_event`), so the
relay's publish — later, from a background task — continues the request's trace; the email
worker opens a span around the SMTP send. Logs carry `trace_id`/`span_id` while a span is
active (`fedshop_common.logging`).
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import structlog
from opentelemetry import context, propagate, trace
from strawberry import Schema
from strawberry.extensions import LifecycleStep, SchemaExtension
from strawberry.extensions.tracing import OpenTelemetryExtension

ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT"
# Not traced: what orchestrators and Prometheus poll.
EXCLUDED_URLS = "health,metrics"

log = structlog.get_logger()
_provider = None  # the SDK's TracerProvider once configured (one per process)


def tracing_enabled() -> bool:
    return bool(os.environ.get(ENDPOINT_VARIABLE, "").strip())


def configure_tracing(service: str) -> bool:
    """Install the provider and the process-wide instrumentations (once per process); return
    whether tracing is on. The first service of a process names it."""
    global _provider
    if not tracing_enabled():
        return False
    if _provider is not None:
        return True
    # Imported only when on: the SDK and the exporter are not loaded otherwise.
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.aio_pika import AioPikaInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    protocol = os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
    if protocol != "http/protobuf":
        log.warning("only OTLP over http/protobuf is exported", protocol=protocol)
    name = os.environ.get("OTEL_SERVICE_NAME") or service
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    AioPikaInstrumentor().instrument(tracer_provider=provider)
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    RedisInstrumentor().instrument(tracer_provider=provider)
    _provider = provider
    log.info("tracing on", endpoint=os.environ[ENDPOINT_VARIABLE], service_name=name)
    return True


def instrument_app(app, engine, schema: Schema | None) -> None:  # noqa: ANN001
    """The per-app instrumentation: the FastAPI app, its engine, its GraphQL schema."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    FastAPIInstrumentor.instrument_app(app, tracer_provider=_provider, excluded_urls=EXCLUDED_URLS)
    # The instrumentation declares SQLAlchemy < 2.1; the 2.1 we use has the same engine events.
    SQLAlchemyInstrumentor().instrument(
        engine=engine.sync_engine, tracer_provider=_provider, skip_dep_check=True
    )
    if schema is not None and OperationTracing not in schema.extensions:
        schema.extensions = (*schema.extensions, OperationTracing)


def flush() -> None:
    """Export what is buffered (at shutdown, so the last spans are not lost)."""
    if _provider is not None:
        _provider.force_flush(timeout_millis=5000)


class OperationTracing(OpenTelemetryExtension):
    """strawberry's span per operation, made the current span while the operation runs (so the
    database spans and the outbox's stored context hang under it), without per-field spans."""

    resolve = SchemaExtension.resolve  # the default: strawberry adds no resolver middleware

    def on_operation(self) -> Iterator[None]:
        steps = super().on_operation()
        next(steps)
        span = self._span_holder[LifecycleStep.OPERATION]
        token = context.attach(trace.set_span_in_context(span))
        try:
            yield
        finally:
            context.detach(token)
            next(steps, None)


def current_headers() -> dict[str, str] | None:
    """The current trace context as W3C headers (`traceparent`, `tracestate`), or None when no
    span is recording (tracing off, or no request in progress)."""
    if not trace.get_current_span().get_span_context().is_valid:
        return None
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier or None


@contextmanager
def continued_from(headers: dict | None) -> Iterator[None]:
    """Run the block in the trace context `headers` carry (nothing to do without them)."""
    if not headers:
        yield
        return
    token = context.attach(propagate.extract(headers))
    try:
        yield
    finally:
        context.detach(token)
