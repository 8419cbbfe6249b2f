"""Request metrics are labelled by the route's template, whatever the id asked for."""

import httpx
from fastapi import FastAPI, HTTPException
from fedshop_common.request_metrics import RequestMetrics
from prometheus_client import CollectorRegistry


def app_with_metrics() -> tuple[FastAPI, CollectorRegistry]:
    app = FastAPI()

    @app.get("/users/{user_id}")
    async def user(user_id: int) -> dict:
        if user_id == 404:
            raise HTTPException(404, "no such user")
        return {"id": user_id}

    @app.get("/health")
    async def health() -> dict:
        return {}

    registry = CollectorRegistry()
    app.add_middleware(RequestMetrics, registry=registry)
    return app, registry


async def test_requests_are_counted_per_route_template_and_status_class():
    app, registry = app_with_metrics()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as c:
        for path in ("/users/1", "/users/2", "/users/404", "/nowhere", "/health"):
            await c.get(path)

    def requests(handler: str, status: str) -> float | None:
        labels = {"handler": handler, "method": "GET", "status": status}
        return registry.get_sample_value("http_requests_total", labels)

    assert requests("/users/{user_id}", "2xx") == 2
    assert requests("/users/{user_id}", "4xx") == 1
    assert requests("none", "4xx") == 1  # no route: one label for every unknown path
    assert requests("/health", "2xx") is None  # probes are not measured
    count = registry.get_sample_value(
        "http_request_duration_seconds_count", {"handler": "/users/{user_id}", "method": "GET"}
    )
    assert count == 3
