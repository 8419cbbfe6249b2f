"""What an operator reads off every service: liveness, readiness, metrics, API docs offline."""

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.graphql_client import PURCHASE, TABLE, execute

# Series each service must carry once it has done some work.
EXPECTED_SERIES = {
    "users": {"http_requests", "http_request_duration_seconds"},
    "purchases": {
        "http_requests",
        "fedshop_outbox_backlog",
        "fedshop_outbox_oldest_age_seconds",
        "fedshop_messages_published",
        "fedshop_messages_processed",
        "fedshop_queue_messages",
    },
    "email-worker": {
        "fedshop_messages_processed",
        "fedshop_messages_failed",
        "fedshop_messages_retried",
        "fedshop_messages_dead_lettered",
        "fedshop_queue_messages",
        "fedshop_email_send_seconds",
    },
}


def service_urls(system) -> dict[str, str]:  # noqa: ANN001
    return {
        "users": system.users_url,
        "purchases": system.purchases_url,
        "email-worker": system.email_worker_url,
    }


@pytest.mark.parametrize("service", ["users", "purchases", "email-worker"])
async def test_live_ready_and_the_detailed_report(system, service):
    async with httpx.AsyncClient(base_url=service_urls(system)[service], timeout=10) as client:
        assert (await client.get("/health/live")).json() == {"status": "ok"}
        ready = await client.get("/health/ready")
        assert ready.status_code == 200
        assert ready.json()["dependencies"]["database"] == "ok"
        detail = (await client.get("/health")).json()
    if service != "users":
        assert detail["dependencies"]["publisher"] == "ok"
        assert detail["tasks"]["publisher"] == "done"
    if service == "purchases":
        assert detail["tasks"]["outbox-relay"] == "running"


async def test_every_service_serves_parseable_metrics_with_its_series(system):
    await execute(system.graphql_url, PURCHASE, userId="1", itemId=TABLE)  # work to count
    for service, url in service_urls(system).items():
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            await client.get("/docs")  # a request for the request metrics

            async def series() -> set[str]:
                text = (await client.get("/metrics")).text
                return {family.name for family in text_string_to_metric_families(text)}

            missing = EXPECTED_SERIES[service] - await series()
            assert not missing, f"{service} lacks {missing}"


@pytest.mark.parametrize("service", ["users", "purchases", "email-worker"])
async def test_api_docs_load_nothing_from_the_internet(system, service):
    async with httpx.AsyncClient(base_url=service_urls(system)[service], timeout=10) as client:
        page = (await client.get("/docs")).text
        assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page
        scripts = [part.split('"')[0] for part in page.split('src="')[1:]]
        assert scripts, page
        for script in scripts:
            assert (await client.get(script)).status_code == 200, script
