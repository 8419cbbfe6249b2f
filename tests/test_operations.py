"""What an operator reads off every service: liveness, readiness, metrics, API docs offline;
what an operator does to it: faults on demand, a bounded load (`make load`)."""

import json
import subprocess
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from fedshop_common.faults import Faults, InjectedFault
from fedshop_email_worker.models import PurchaseEmail
from fedshop_email_worker.sending import EmailSender
from fedshop_users.app import create_app as create_users_app
from fedshop_users.settings import UsersSettings
from prometheus_client.parser import text_string_to_metric_families

from tests.graphql_client import PURCHASE, TABLE, execute
from tests.support import ROOT, VENV_BIN, started

# Series each service must carry once it has done some work.
# Every service: requests, latency and the faults counter (the dashboard's panels).
EVERY_SERVICE = {"http_requests", "http_request_duration_seconds", "fedshop_faults_injected"}
EXPECTED_SERIES = {
    "users": EVERY_SERVICE,
    "purchases": EVERY_SERVICE
    | {
        "fedshop_outbox_backlog",
        "fedshop_outbox_oldest_age_seconds",
        "fedshop_messages_published",
        "fedshop_messages_processed",
        "fedshop_queue_messages",
    },
    "email-worker": EVERY_SERVICE
    | {
        "fedshop_messages_processed",
        "fedshop_messages_failed",
        "fedshop_messages_retried",
        "fedshop_messages_dead_lettered",
        "fedshop_queue_messages",
        "fedshop_email_send_seconds",
    },
}


# The router's (Hive Gateway's Prometheus plugin), with request, error and subgraph series.
ROUTER_SERIES = {
    "graphql_envelop_request",
    "graphql_envelop_error_result",
    "graphql_yoga_http_duration",
    "graphql_gateway_subgraph_execute_duration",
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
    async with httpx.AsyncClient(base_url=system.router_url, timeout=10) as client:
        text = (await client.get("/metrics")).text
    missing = ROUTER_SERIES - {family.name for family in text_string_to_metric_families(text)}
    assert not missing, f"the router lacks {missing}"


@pytest.mark.parametrize("service", ["users", "purchases", "email-worker"])
async def test_api_docs_load_nothing_from_the_internet(system, service):
    async with httpx.AsyncClient(base_url=service_urls(system)[service], timeout=10) as client:
        page = (await client.get("/docs")).text
        assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page
        scripts = [part.split('"')[0] for part in page.split('src="')[1:]]
        assert scripts, page
        for script in scripts:
            assert (await client.get(script)).status_code == 200, script


async def elapsed(request) -> float:  # noqa: ANN001
    began = time.monotonic()
    assert (await request).status_code == 200
    return time.monotonic() - began


async def test_a_slow_users_service_on_demand_and_the_admin_toggle(make_stack):
    stack = make_stack("faults")
    settings = UsersSettings(
        database_url=stack.database_url("users"), namespace=stack.namespace, fault_users_slow_ms=300
    )
    async with started(create_users_app(settings)) as client:
        assert await elapsed(client.get("/users")) >= 0.3
        assert await elapsed(client.get("/health/live")) < 0.3
        assert (
            'fedshop_faults_injected_total{fault="users_slow"}'
            in (await client.get("/metrics")).text
        )

        # The toggle: admins only.
        off = {"users_slow_ms": 0}
        assert (await client.post("/admin/faults", json=off)).status_code == 401
        customer = await token_of(client, "ada.lovelace@example.com", "fedshop-demo")
        refused = await client.post("/admin/faults", json=off, headers=bearer(customer))
        assert refused.status_code == 403
        admin = bearer(await token_of(client, "admin@fedshop.example", "fedshop-admin"))
        bad = await client.post("/admin/faults", json={"smtp_refuse_rate": 2}, headers=admin)
        assert bad.status_code == 422
        changed = await client.post("/admin/faults", json=off, headers=admin)
        assert changed.status_code == 200 and changed.json()["users_slow_ms"] == 0
        assert await elapsed(client.get("/users")) < 0.3
        shown = await client.get("/admin/faults", headers=admin)
        assert shown.json() == {
            "smtp_refuse_rate": 0.0,
            "users_slow_ms": 0,
            "payments_decline_rate": 0.0,
        }


async def token_of(client: httpx.AsyncClient, email: str, password: str) -> str:
    response = await client.post("/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_smtp_refused_on_demand_before_any_connection():
    # Port 9 on loopback: nothing listens; the refusal comes first.
    sender = EmailSender("smtp://127.0.0.1:9", 1, "shop@fedshop.example")
    sender.faults = Faults("email-worker", smtp_refuse_rate=1)
    email = PurchaseEmail(
        purchase_id=uuid.uuid4(),
        kind="purchase_succeeded",
        recipient="a@example.com",
        subject="s",
        body="b",
        html_body="<p>b</p>",
        reserved_at=datetime.now(UTC),
    )
    with pytest.raises(InjectedFault, match="FAULT_SMTP_REFUSE_RATE"):
        await sender.send(email)


def test_make_load_runs_a_bounded_mix_against_the_router(system):
    # What `make load` runs, shorter: 3 users, at most 5 operations a second each, 8 seconds.
    result = subprocess.run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            "bench/locustfile.py",
            "--headless",
            "--host",
            system.router_url,
            "--users=3",
            "--spawn-rate=3",
            "--run-time=8s",
            "--stop-timeout=5",
            "--json",
        ],
        cwd=ROOT,
        env={"LOAD_RATE": "5", "PATH": str(VENV_BIN) + ":/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    stats = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert {"Users", "Items", "Buy"} <= set(stats), result.stderr[-2000:]
    assert sum(entry["num_failures"] for entry in stats.values()) == 0, result.stderr[-2000:]
    requests = sum(entry["num_requests"] for entry in stats.values())
    # Bounded by users x rate x time (+ two reads per user at its start).
    assert 20 <= requests <= 3 * 5 * 8 + 3 * 2, requests
