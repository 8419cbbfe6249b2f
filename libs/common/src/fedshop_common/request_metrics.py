"""Request metrics for every door: `http_requests_total{handler,method,status}` and
`http_request_duration_seconds{handler,method}`, the names the dashboard reads.

Pure ASGI, and labelled by the route's path template that the router leaves in the scope once it
has matched (`scope["route"]`), so no route is matched a second time per request:
prometheus-fastapi-instrumentator, used before, matched every route again, which grew with the
routes a service has and cost about a fifth of a cached `GET /users/{id}` (docs/performance.md).
"""

from time import perf_counter

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Seconds: a cached read takes milliseconds, a purchase tens, a slow dependency seconds.
BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
NOT_MEASURED = ("/metrics", "/health")
UNMATCHED = "none"  # a path no route serves (a 404), one label for all of them


class RequestMetrics:
    def __init__(self, app: ASGIApp, registry: CollectorRegistry) -> None:
        self.app = app
        self.requests = Counter(
            "http_requests",
            "HTTP requests answered, by route template, method and status class",
            ["handler", "method", "status"],
            registry=registry,
        )
        self.duration = Histogram(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by route template and method",
            ["handler", "method"],
            buckets=BUCKETS,
            registry=registry,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(NOT_MEASURED):
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        status = 500  # what the client sees when the app raises before answering

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = scope.get("route")
            handler = getattr(route, "path", None) or UNMATCHED
            method = scope["method"]
            self.requests.labels(handler, method, f"{status // 100}xx").inc()
            self.duration.labels(handler, method).observe(perf_counter() - started)
