"""The real docker-compose.yml, brought up with Debian's docker-compose on stand-in base images
(`make test-compose` builds them: docker/standins/README.md) and used from the host as a person
would: the published ports on 127.0.0.1 only. Every loop is bounded in count and time; the
project is taken down with its volumes at the end and each container's log kept in
test-artifacts/compose/."""

import asyncio
import json
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from playwright.async_api import async_playwright, expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.graphql_client import LAMP, PURCHASE, TABLE, execute, follow_over_websocket, nodes
from tests.support import ROOT

pytestmark = pytest.mark.timeout(900)  # the first test also brings the project up

PROJECT = "fedshop-compose-test"
COMPOSE = ["docker-compose", "-p", PROJECT, "-f", str(ROOT / "docker-compose.yml")]
ARTIFACTS = ROOT / "test-artifacts" / "compose"
ROUTER = "http://127.0.0.1:4000/graphql"
SPA = "http://127.0.0.1:8080"
USERS = "http://127.0.0.1:4001"
PURCHASES = "http://127.0.0.1:4002"
INVENTORY = "http://127.0.0.1:4004"
USERS_AND_HISTORIES = "{ users { edges { node { firstName purchases { totalCount } } } } }"
HISTORY_PAGE = """query History($id: ID!, $after: String) {
  user(id: $id) {
    purchases(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id } }
    }
  }
}"""


async def whole_history(user_id: object) -> list[dict]:
    """Every purchase of the user, a page at a time."""
    found, after = [], None
    while True:
        page = (await execute(ROUTER, HISTORY_PAGE, id=str(user_id), after=after))["user"]
        found += nodes(page["purchases"])
        if not page["purchases"]["pageInfo"]["hasNextPage"]:
            return found
        after = page["purchases"]["pageInfo"]["endCursor"]


MAILPIT = "http://127.0.0.1:8025"
RABBITMQ_API = "http://127.0.0.1:15672/api"
# The broker's admin, as .env.example's default (there is no guest user in compose).
ADMIN = ("fedshop-admin", "fedshop-admin")
SERVICES = [
    "postgres", "redis", "rabbitmq", "mailpit", "users", "users-replica", "purchases",
    "purchases-replica", "balancer", "inventory", "email-worker", "payment-worker", "quotes",
    "sale-worker", "router", "frontend",
]  # fmt: skip
REPLICAS = {"users": ["users", "users-replica"], "purchases": ["purchases", "purchases-replica"]}
# A request a replica served, in uvicorn's access log; its own healthchecks come from 127.0.0.1.
SERVED = re.compile(r'^INFO: +(?!127\.0\.0\.1:)\S+ - "(?:GET|POST) ', re.MULTILINE)
PARKED_QUEUE = "compose-test.parked"
LOAD_PURCHASES = 200


def compose(*args: str, timeout: float = 600) -> str:
    result = subprocess.run(
        [*COMPOSE, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"docker-compose {' '.join(args)}:\n{result.stderr[-3000:]}"
    return result.stdout


def container(service: str) -> str:
    return f"{PROJECT}_{service}_1"


def health() -> dict[str, str]:
    result = subprocess.run(
        ["docker", "inspect", "-f", "{{.State.Health.Status}}", *map(container, SERVICES)],
        capture_output=True,
        text=True,
        check=False,
    )
    states = result.stdout.split() if result.returncode == 0 else []
    return dict(zip(SERVICES, states, strict=False))


def wait_healthy(services: list[str] = SERVICES, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        states = health()
        if all(states.get(name) == "healthy" for name in services):
            return
        time.sleep(1)
    pytest.fail(f"not healthy after {seconds} s: {health()}")


def served_since(service: str, since: str) -> int:
    logs = subprocess.run(
        ["docker", "logs", "--since", since, container(service)],
        capture_output=True,
        text=True,
        check=True,
    )
    return len(SERVED.findall(logs.stdout + logs.stderr))


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def keep_logs(suffix: str = "") -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ids = subprocess.run(
        ["docker", "ps", "-a", "-q", "--filter", f"label=com.docker.compose.project={PROJECT}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    for container_id in ids:
        name = subprocess.run(
            ["docker", "inspect", "-f", "{{.Name}}", container_id],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip("/\n")
        with (ARTIFACTS / f"{name}{suffix}.log").open("w") as log:
            subprocess.run(
                ["docker", "logs", "--timestamps", container_id],
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )


@pytest.fixture(scope="module")
def project() -> Iterator[None]:
    """docker-compose.yml as it is, built and up; down with its volumes after, logs kept."""
    if (
        shutil.which("docker-compose") is None
        or subprocess.run(["docker", "info"], capture_output=True, check=False).returncode
    ):
        pytest.fail("no Docker engine or docker-compose: run `make test-compose` (README)")
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    compose("down", "-v", "--remove-orphans")  # what a killed run may have left
    try:
        started = time.monotonic()
        compose("build")
        built = time.monotonic()
        compose("up", "-d")
        wait_healthy()
        print(
            f"\ncompose: built in {built - started:.0f} s, up in {time.monotonic() - built:.0f} s"
        )
        yield
    finally:
        keep_logs()
        compose("down", "-v", "--remove-orphans")


def test_every_service_is_healthy(project):
    assert health() == dict.fromkeys(SERVICES, "healthy")


def test_rest_on_each_subgraphs_own_port(project):
    users = httpx.get(f"{USERS}/users", timeout=10).json()
    assert [user["first_name"] for user in users[:2]] == ["Ada", "Alan"]
    items = {item["name"]: item["price"] for item in httpx.get(f"{PURCHASES}/items").json()}
    assert items["Table"] == 10 and items["Lamp"] == 50


def mailbox() -> list[dict]:
    return httpx.get(f"{MAILPIT}/api/v1/messages", params={"limit": 5000}, timeout=10).json()[
        "messages"
    ]


def emails_for(purchase_ids: set[str], expected: int, seconds: float = 90) -> dict[str, list]:
    """The mail sink's messages for these purchases, once it holds `expected` of them."""
    deadline = time.monotonic() + seconds
    while True:
        found: dict[str, list] = {}
        for message in mailbox():
            purchase_id = message["MessageID"].removeprefix("<purchase-").split("@")[0]
            if purchase_id in purchase_ids:
                found.setdefault(purchase_id, []).append(message)
        if sum(map(len, found.values())) >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
}


def test_the_spa_is_served_with_its_security_headers(project):
    for path in ("/", "/users/1"):
        response = httpx.get(f"{SPA}{path}", timeout=10)
        assert response.status_code == 200
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (path, name, response.headers)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy


def test_management_uis_and_subgraph_ports_are_bound_to_loopback_only(project):
    """The published bindings as Docker holds them: only 127.0.0.1, never 0.0.0.0 (no traffic
    is sent to any other address); and from inside the network the management UI answers."""
    for service, port in [
        ("rabbitmq", 15672), ("mailpit", 8025), ("users", 4001), ("purchases", 4002),
        ("email-worker", 4003), ("payment-worker", 4005),
    ]:  # fmt: skip
        bindings = json.loads(
            subprocess.run(
                ["docker", "inspect", "-f", "{{json .NetworkSettings.Ports}}", container(service)],
                capture_output=True, text=True, check=True,
            ).stdout
        )[f"{port}/tcp"]  # fmt: skip
        assert bindings, service
        assert {binding["HostIp"] for binding in bindings} == {"127.0.0.1"}, (service, bindings)
    inside = subprocess.run(
        ["docker", "exec", container("router"), "node", "-e",
         "fetch('http://rabbitmq:15672/').then(r => console.log(r.status), () => console.log(0))"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert inside.stdout.strip() == "200", inside


def test_the_broker_has_no_guest_and_each_service_its_own_user(project):
    assert httpx.get(f"{RABBITMQ_API}/overview", auth=("guest", "guest")).status_code == 401
    users = {u["name"] for u in httpx.get(f"{RABBITMQ_API}/users", auth=ADMIN).json()}
    services = {"purchases", "inventory", "email-worker", "payment-worker", "sale-worker"}
    assert users == {"fedshop-admin", *services}
    connections = httpx.get(f"{RABBITMQ_API}/connections", auth=ADMIN).json()
    assert {c["user"] for c in connections} >= services


def test_a_service_role_cannot_open_another_services_database(project):
    def connect(role: str, password: str, database: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["docker", "exec", container("postgres"), "psql", "-tAc", "SELECT current_user",
             f"postgresql://{role}:{password}@127.0.0.1:5432/{database}"],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip

    own = connect("purchases", "fedshop-purchases", "fedshop_purchases")
    assert own.stdout.strip() == "purchases", own.stderr
    other = connect("purchases", "fedshop-purchases", "fedshop_users")
    assert other.returncode != 0
    assert "permission denied for database" in other.stderr


def test_a_forged_purchase_event_is_parked_with_why_and_mails_nobody(project):
    """Published through the management UI by its admin, as an intruder with the UI would: the
    broker stamps no `purchases` user on it, so the email worker dead-letters it unread."""
    forged_id = str(uuid.uuid4())
    body = {
        "purchase_id": forged_id, "status": "succeeded",
        "user": {"id": 1, "email": "victim@example.com", "first_name": "V", "last_name": "W"},
        "item": {"id": 1, "name": "Forged", "price": 1},
    }  # fmt: skip
    published = httpx.post(
        f"{RABBITMQ_API}/exchanges/%2F/fedshop.events/publish",
        json={
            "properties": {"delivery_mode": 2, "content_type": "application/json"},
            "routing_key": "purchase.succeeded",
            "payload": json.dumps(body),
            "payload_encoding": "string",
        },
        auth=ADMIN,
    )
    assert published.json() == {"routed": True}
    dlq = f"{RABBITMQ_API}/queues/%2F/email-worker.purchases.dlq/get"
    parked = []
    for _ in range(60):
        got = httpx.post(
            dlq,
            json={"count": 50, "ackmode": "reject_requeue_true", "encoding": "auto"},
            auth=ADMIN,
        ).json()
        parked = [m for m in got if forged_id in m["payload"]]
        if parked:
            break
        time.sleep(0.5)
    assert parked, "the forged event was not dead-lettered"
    assert "only 'purchases' publishes it" in parked[0]["properties"]["headers"]["x-failure-reason"]
    assert "victim@example.com" not in json.dumps(mailbox())


def test_a_checkout_is_paid_by_the_worker_and_emailed(project):
    """Through each service's own broker user: order.placed to the payment worker, its
    payment.succeeded back to the shop, order.paid to the email worker."""
    placed = httpx.post(
        f"{PURCHASES}/api/checkout",
        json={"user_id": 1, "items": [{"item_id": int(TABLE), "quantity": 2}]},
        timeout=15,
    )
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]
    order = {}
    for _ in range(120):
        order = httpx.get(f"{PURCHASES}/api/orders/{order_id}", timeout=10).json()
        if order["status"] == "paid" and order["email"]:
            break
        time.sleep(0.5)
    assert (order["status"], order["total"]) == ("paid", 20), order
    assert order["email"]["kind"] == "order_confirmation"
    assert any(f"order-{order_id}@" in m["MessageID"] for m in mailbox())


def test_an_order_paid_by_a_crypto_transaction_on_the_fake_ledger(project):
    """Prices from the quotes fake; a demo transaction to the shop's address; the payment
    worker finds it on the ledger (the same fake) and the order is paid."""
    items = []
    for _ in range(60):  # the first quote is fetched in the background at start
        answer = httpx.get(f"{PURCHASES}/items", params={"currency": "ETH"}, timeout=10)
        if answer.status_code == 200:
            items = answer.json()
            break
        time.sleep(0.5)
    table = next(item for item in items if item["id"] == int(TABLE))
    assert table["price_in"]["symbol"] == "ETH" and table["price_in"]["amount"] > 0
    made = httpx.post(
        ROUTER,
        json={
            "query": 'mutation($a: Float!) { makeTestTransaction(symbol: "ETH", amount: $a) '
            "{ hash } }",
            "variables": {"a": table["price_in"]["amount"]},
        },
        timeout=10,
    ).json()
    tx_hash = made["data"]["makeTestTransaction"]["hash"]
    placed = httpx.post(
        f"{PURCHASES}/api/checkout",
        json={
            "user_id": 1,
            "items": [int(TABLE)],
            "payment": {"method": "crypto", "symbol": "ETH", "tx_hash": tx_hash},
        },
        timeout=15,
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()
    for _ in range(120):
        order = httpx.get(f"{PURCHASES}/api/orders/{order['id']}", timeout=10).json()
        if order["status"] != "awaiting_payment":
            break
        time.sleep(0.5)
    assert (order["status"], order["payment_error"]) == ("paid", None), order


async def test_purchases_through_the_router_reach_the_mail_sink(project):
    table = (await execute(ROUTER, PURCHASE, userId="1", itemId=TABLE))["purchase"]
    lamp = (await execute(ROUTER, PURCHASE, userId="1", itemId=LAMP))["purchase"]
    assert (table["status"], table["price"]) == ("SUCCEEDED", 10)
    assert (lamp["status"], lamp["price"]) == ("REJECTED", 50)
    found = await asyncio.to_thread(emails_for, {table["id"], lamp["id"]}, 2)
    assert [m["Subject"] for m in found[table["id"]]] == ["Your purchase of Table is confirmed"]
    assert [m["Subject"] for m in found[lamp["id"]]] == [
        "Your purchase of Lamp could not be completed"
    ]
    assert found[table["id"]][0]["To"][0]["Address"] == "ada.lovelace@example.com"


async def test_graphql_and_a_subscription_through_the_spas_nginx(project):
    users = await execute(f"{SPA}/graphql", "{ users { edges { node { firstName } } } }")
    assert users["users"]["edges"][0]["node"] == {"firstName": "Ada"}
    bought = (await execute(f"{SPA}/graphql", PURCHASE, userId="2", itemId=TABLE))["purchase"]
    states = await follow_over_websocket(f"{SPA}/graphql", bought["id"])
    assert states[-1]["email"]["kind"] == "CONFIRMATION"
    assert states[-1]["email"]["recipient"] == "alan.turing@example.com"


async def test_the_spa_renders_its_users_in_chromium(project):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-debian-packages.sh")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = await browser.new_page(viewport={"width": 1024, "height": 768})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            await page.goto("http://localhost:8080/")
            await expect(page.get_by_role("heading", name="Users")).to_be_visible()
            await expect(page.get_by_text(re.compile("Ada")).first).to_be_visible()
            await page.screenshot(path=ARTIFACTS / "spa-users.png", full_page=True)
            assert not errors, errors
        finally:
            await browser.close()


def replica_counts(since: str) -> dict[str, int]:
    return {name: served_since(name, since) for names in REPLICAS.values() for name in names}


async def test_both_replicas_of_each_subgraph_serve_requests(project):
    since = now()
    for _ in range(20):  # each asks purchases (the history) and users (the names)
        await execute(ROUTER, USERS_AND_HISTORIES)
    counts = replica_counts(since)
    print(f"\nrequests served per replica, 20 queries through the router: {counts}")
    assert all(count >= 5 for count in counts.values()), counts


async def test_a_token_signed_by_one_users_replica_holds_on_both(project):
    """Both replicas sign with one key (the shared volume): a token from the sign-in works on
    every `me` the balancer sends to either replica, and the purchases service verifies it too."""
    async with httpx.AsyncClient(timeout=10) as client:
        form = {"username": "ada.lovelace@example.com", "password": "fedshop-demo"}
        signed_in = await client.post(f"{SPA}/auth/token", data=form)
        assert signed_in.status_code == 200, signed_in.text
        bearer = {"authorization": f"Bearer {signed_in.json()['access_token']}"}
        since = now()
        for _ in range(10):
            me = await execute(ROUTER, "{ me { id firstName } }", headers=bearer)
            assert me["me"]["firstName"] == "Ada"
        bought = await execute(
            ROUTER, PURCHASE, headers=bearer, userId=me["me"]["id"], itemId=TABLE
        )
        assert bought["purchase"]["status"] == "SUCCEEDED"
    served = {name: served_since(name, since) for name in REPLICAS["users"]}
    assert all(count >= 2 for count in served.values()), served


def test_a_flash_sale_unit_goes_through_the_sale_worker_and_is_bought_once(project):
    """An admin's sale of one unit; Ada enters (a queue token, published to the sale worker as
    its own broker user), exchanges it for the purchase token the worker wrote, and buys once."""

    def bearer(email: str, password: str) -> dict:
        form = {"username": email, "password": password}
        signed_in = httpx.post(f"{USERS}/auth/token", data=form, timeout=10)
        assert signed_in.status_code == 200, signed_in.text
        return {"authorization": f"Bearer {signed_in.json()['access_token']}"}

    admin = bearer("admin@fedshop.example", "fedshop-admin")
    ada = bearer("ada.lovelace@example.com", "fedshop-demo")
    sale = httpx.post(
        f"{PURCHASES}/api/sales",
        headers=admin,
        json={
            "item_id": int(TABLE),
            "price": 5,
            "units": 1,
            "starts_at": "2026-01-01T00:00:00Z",
            "ends_at": "2099-01-01T00:00:00Z",
        },
        timeout=10,
    )
    assert sale.status_code == 201, sale.text
    entered = httpx.get(
        f"{PURCHASES}/api/queue/enter", params={"sale": sale.json()["id"]}, headers=ada, timeout=10
    )
    assert entered.status_code == 200, entered.text
    exchange = {"queue_token": entered.json()["queue_token"]}
    for _ in range(60):  # the worker decides in milliseconds; 202 "not yet" meanwhile
        answer = httpx.post(
            f"{PURCHASES}/api/queue/exchange-qt-for-pt", headers=ada, json=exchange, timeout=10
        )
        if answer.status_code != 202:
            break
        time.sleep(0.5)
    assert answer.status_code == 200, answer.text
    ticket = {"purchase_token": answer.json()["purchase_token"]}
    bought = httpx.post(f"{PURCHASES}/api/shop/purchase", headers=ada, json=ticket, timeout=10)
    assert bought.status_code == 201, bought.text
    assert bought.json()["total"] == 5
    again = httpx.post(f"{PURCHASES}/api/shop/purchase", headers=ada, json=ticket, timeout=10)
    assert again.status_code == 409, again.text


async def buy_until_answered(client: httpx.AsyncClient, user_id: str, key: str) -> tuple:
    """One purchase, sent again with the same idempotency key until it is answered (a replica
    stopping under it may cut the answer off): the purchase id and how many tries it took."""
    body = {"query": PURCHASE.replace("$itemId: ID!", "$itemId: ID!, $key: String").replace(
        "itemId: $itemId)", "itemId: $itemId, idempotencyKey: $key)"
    ), "variables": {"userId": user_id, "itemId": TABLE, "key": key}}  # fmt: skip
    for attempt in range(1, 31):
        try:
            response = await client.post(ROUTER, json=body)
            answer = response.json() if response.status_code == 200 else {}
            if answer.get("data") and not answer.get("errors"):
                return answer["data"]["purchase"]["id"], attempt
        except (httpx.HTTPError, json.JSONDecodeError):
            pass
        await asyncio.sleep(min(0.1 * attempt, 1))
    pytest.fail(f"purchase {key} not answered in 30 tries")


async def test_purchases_survive_a_replica_of_each_subgraph_stopping_and_starting(project):
    """200 purchases at about 2.5 a second through the router; after the 30th, one replica of each
    subgraph stops, and starts again once it has. Each purchase is answered once, each sends
    its email, and the restarted replicas take requests again."""
    stopped = ["users-replica", "purchases-replica"]
    answered = 0
    forty_answered, restart_done = asyncio.Event(), asyncio.Event()
    timeline: list[str] = []

    async def stop_then_start() -> None:
        await forty_answered.wait()
        timeline.append(f"stop at {answered}")
        await asyncio.to_thread(compose, "stop", *stopped)
        timeline.append(f"stopped at {answered}")
        await asyncio.to_thread(compose, "start", *stopped)
        timeline.append(f"started at {answered}")
        restart_done.set()

    async def one(client: httpx.AsyncClient, index: int, gate: asyncio.Semaphore) -> tuple:
        nonlocal answered
        # Paced (80 s in all), so the stop and start land mid-load: `docker-compose start`
        # checks each dependency's condition again, broker-accounts' run included (~30 s).
        await asyncio.sleep(index * 0.4)
        async with gate:
            result = await buy_until_answered(client, str(user["id"]), f"load-{user['id']}-{index}")
        answered += 1
        if answered == 30:
            forty_answered.set()
        return result

    gate = asyncio.Semaphore(8)
    async with asyncio.timeout(300), httpx.AsyncClient(timeout=15) as client:
        new_user = {"first_name": "Load", "last_name": "Test", "email": f"{uuid.uuid4()}@ex.org"}
        user = (await client.post(f"{USERS}/users", json=new_user)).json()
        chaos = asyncio.create_task(stop_then_start())
        results = await asyncio.gather(*(one(client, i, gate) for i in range(LOAD_PURCHASES)))
        await chaos
    ids = {purchase_id for purchase_id, _ in results}
    retried = sum(1 for _, attempts in results if attempts > 1)
    print(f"\n{LOAD_PURCHASES} purchases, {retried} needed more than one try; {timeline}")
    assert restart_done.is_set() and len(ids) == LOAD_PURCHASES
    assert timeline[-1] != f"started at {LOAD_PURCHASES}", "the load ended before the restart"

    # answered once: the user has exactly these purchases, no more
    history = await whole_history(user["id"])
    assert sorted(p["id"] for p in history) == sorted(ids)

    found = await asyncio.to_thread(emails_for, ids, LOAD_PURCHASES, 120)
    print(f"emails in the mail sink for them: {sum(map(len, found.values()))}")
    assert sorted(found) == sorted(ids)
    assert all(len(messages) == 1 for messages in found.values())

    # the restarted replicas are back in: they serve again once healthy
    await asyncio.to_thread(wait_healthy, stopped, 60)
    since = now()
    for _ in range(30):
        await execute(ROUTER, USERS_AND_HISTORIES)
        counts = await asyncio.to_thread(replica_counts, since)
        if all(counts[name] > 0 for name in stopped):
            break
        await asyncio.sleep(0.5)
    print(f"requests served per replica after the restart: {counts}")
    assert all(counts[name] > 0 for name in stopped), counts


def park_a_message() -> None:
    queue = f"{RABBITMQ_API}/queues/%2F/{PARKED_QUEUE}"
    httpx.put(queue, json={"durable": True}, auth=ADMIN).raise_for_status()
    published = httpx.post(
        f"{RABBITMQ_API}/exchanges/%2F/amq.default/publish",
        json={
            "properties": {"delivery_mode": 2},
            "routing_key": PARKED_QUEUE,
            "payload": "kept across down and up",
            "payload_encoding": "string",
        },
        auth=ADMIN,
    )
    assert published.json() == {"routed": True}


def queues(seconds: float = 30) -> dict[str, int]:
    """Each queue's message count, once the management API has counted the parked one."""
    deadline = time.monotonic() + seconds
    while True:
        listed = httpx.get(f"{RABBITMQ_API}/queues", auth=ADMIN, timeout=10).json()
        counts = {queue["name"]: queue.get("messages", 0) for queue in listed}
        if counts.get(PARKED_QUEUE) or time.monotonic() > deadline:
            return counts
        time.sleep(1)


def test_data_and_queues_survive_down_and_up(project):
    user = httpx.post(
        f"{USERS}/users",
        json={"first_name": "Kept", "last_name": "Across", "email": f"kept-{uuid.uuid4()}@ex.org"},
    )
    assert user.status_code == 201
    park_a_message()
    before = queues()
    assert before[PARKED_QUEUE] == 1

    keep_logs("-before-down")
    compose("down")  # without -v: the volumes stay
    compose("up", "-d")
    wait_healthy()

    again = httpx.get(f"{USERS}/users/{user.json()['id']}", timeout=10)
    assert again.status_code == 200 and again.json() == user.json()
    after = queues()
    assert after[PARKED_QUEUE] == 1
    assert set(before) <= set(after)
