"""Faults under load, with real processes: RabbitMQ unreachable, the email worker killed, Redis
gone, the users service down. Each ends with an exact count: every purchase has exactly one email.
"""

import asyncio
import collections
import os
import signal

import httpx
import pytest
from fedshop_email_worker.settings import EmailWorkerSettings
from sqlalchemy import create_engine, text

from tests.smtp_sink import SmtpSink
from tests.support import (
    AMQP_URL,
    VENV_BIN,
    BackgroundTcpProxy,
    ServiceProcess,
    Stack,
    eventually,
    free_port,
)

PURCHASES_PER_FAULT = 120
CONCURRENCY = 8
CHEAP, DEAR = 1, 3  # Table 10 and Lamp 50: both kinds of email
WORKER_PREFETCH = EmailWorkerSettings().prefetch


class FaultySystem:
    """Users, purchases and the email worker, reaching RabbitMQ and Redis through proxies the
    test can cut, and an SMTP sink that counts what is delivered."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.broker = BackgroundTcpProxy("127.0.0.1", int(AMQP_URL.rsplit(":", 1)[1].strip("/")))
        self.redis = BackgroundTcpProxy("127.0.0.1", 6379)
        self.smtp = SmtpSink()
        self.smtp.start()
        self.ports = {name: free_port() for name in ("users", "purchases", "worker")}
        self.url = {name: f"http://127.0.0.1:{port}" for name, port in self.ports.items()}
        self.processes: dict[str, ServiceProcess] = {}
        self.starts: collections.Counter = collections.Counter()
        self.start("users")
        self.start("purchases")
        self.start("worker")

    def _env(self, name: str) -> dict:
        through_proxies = {
            "AMQP_URL": f"amqp://guest:guest@127.0.0.1:{self.broker.port}/",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis.port}/0",
            # Many purchases from one address: the per-client limits would refuse them.
            "RATE_LIMITS": "off",
        }
        if name == "users":
            return self.stack.env("users", self.ports["users"], **through_proxies)
        if name == "purchases":
            return self.stack.env(
                "purchases", self.ports["purchases"], USERS_URL=self.url["users"], **through_proxies
            )
        return self.stack.env(
            "emails", self.ports["worker"], SMTP_URL=self.smtp.url, **through_proxies
        )

    def start(self, name: str) -> None:
        command = {"users": "fedshop-users", "purchases": "fedshop-purchases"}.get(
            name, "fedshop-email-worker"
        )
        self.starts[name] += 1  # each start logs to its own file: a restart keeps the old log
        log_name = f"faults-{name}-{self.starts[name]}"
        process = ServiceProcess(log_name, [str(VENV_BIN / command)], self._env(name))
        self.processes[name] = process
        process.wait_ready(f"{self.url[name]}/health")

    def kill(self, name: str) -> None:
        os.kill(self.processes[name].process.pid, signal.SIGKILL)
        self.processes[name].process.wait()

    def stop(self) -> None:
        for process in self.processes.values():
            process.stop()
        self.broker.close()
        self.redis.close()
        self.smtp.stop()


@pytest.fixture(scope="module")
def system(make_stack):
    running = FaultySystem(make_stack("faults"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def database(system):
    engines = {s: create_engine(system.stack.database_url(s)) for s in ("purchases", "emails")}

    def query(service: str, sql: str, **params) -> list:
        with engines[service].connect() as connection:
            return list(connection.execute(text(sql), params))

    yield query
    for engine in engines.values():
        engine.dispose()


async def buy_many(system: FaultySystem, count: int, during=None) -> list[str]:
    """`count` purchases, `CONCURRENCY` at a time; `during(n)` runs after the n-th is answered."""
    ids: list[str] = []
    queue = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(n)

    async def client(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            n = queue.get_nowait()
            body = {"user_id": 1 + n % 5, "item_id": (CHEAP, DEAR)[n % 2]}
            response = await http.post(f"{system.url['purchases']}/purchase", json=body)
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
            if during:
                await asyncio.to_thread(during, len(ids))

    async with httpx.AsyncClient(timeout=30) as http:
        await asyncio.gather(*(client(http) for _ in range(CONCURRENCY)))
    return ids


async def assert_each_emailed_exactly_once(system, database, ids: list[str]) -> collections.Counter:
    """Every purchase: one email row (sent), the purchase shows it, SMTP received it. Returns
    how many messages SMTP received per purchase."""

    async def all_reported() -> bool:
        rows = database(
            "purchases",
            "SELECT count(*) FROM purchases WHERE id = ANY(CAST(:ids AS uuid[])) "
            "AND email_sent_at IS NOT NULL",
            ids=ids,
        )
        return rows[0][0] == len(ids)

    await eventually(all_reported, within=120, every=0.5)
    emails = database(
        "emails",
        "SELECT purchase_id::text, state FROM emails WHERE purchase_id = ANY(CAST(:ids AS uuid[]))",
        ids=ids,
    )
    assert sorted(purchase_id for purchase_id, _ in emails) == sorted(ids)
    assert {state for _, state in emails} == {"sent"}
    delivered = collections.Counter(
        message["Message-ID"].split("purchase-")[1].split("@")[0]
        for message in system.smtp.messages
    )
    assert all(delivered[purchase_id] >= 1 for purchase_id in ids), "an email never arrived"
    return delivered


def assert_few_resends(delivered: collections.Counter, ids: list[str]) -> None:
    """The record is exact (one email row per purchase, asserted above). SMTP may see an email
    twice only when a send failed after the server accepted it (a kill, or an SMTP timeout on a
    starved machine): the documented at-most-once re-send, with the same Message-ID, so mail
    clients show one. At most the messages in hand at one failure: the worker's prefetch."""
    resent = sum(delivered[i] for i in ids) - len(ids)
    print(f"SMTP re-sends: {resent} of {len(ids)}")
    assert all(delivered[i] <= 2 for i in ids), "an email was sent more than twice"
    assert resent <= WORKER_PREFETCH, f"{resent} emails sent twice"


async def test_rabbitmq_unreachable_then_back(system, database):
    def outage(answered: int) -> None:
        if answered == 30:
            system.broker.cut()
        if answered == 90:
            system.broker.start()

    ids = await buy_many(system, PURCHASES_PER_FAULT, during=outage)
    delivered = await assert_each_emailed_exactly_once(system, database, ids)
    assert_few_resends(delivered, ids)


async def test_email_worker_killed_and_restarted(system, database):
    def crash(answered: int) -> None:
        if answered == 40:
            system.kill("worker")
        if answered == 80:
            system.start("worker")

    ids = await buy_many(system, PURCHASES_PER_FAULT, during=crash)
    delivered = await assert_each_emailed_exactly_once(system, database, ids)
    assert_few_resends(delivered, ids)


async def test_redis_unreachable_reads_and_purchases_keep_working(system, database):
    system.redis.cut()
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            for _ in range(5):
                assert (await http.get(f"{system.url['users']}/users/1")).status_code == 200
                assert (await http.get(f"{system.url['users']}/users")).status_code == 200
                assert (await http.get(f"{system.url['purchases']}/items")).status_code == 200
            health = (await http.get(f"{system.url['users']}/health")).json()
        assert health["dependencies"]["cache"].startswith("down")
        ids = await buy_many(system, 40)
    finally:
        system.redis.start()
    delivered = await assert_each_emailed_exactly_once(system, database, ids)
    assert_few_resends(delivered, ids)


async def test_users_service_down_purchases_answer_503_and_write_nothing(system, database):
    count_sql = "SELECT (SELECT count(*) FROM purchases), (SELECT count(*) FROM outbox)"
    before = database("purchases", count_sql)
    system.processes["users"].stop()
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            for user_id in range(1000, 1020):  # users no purchase has looked up (not cached)
                response = await http.post(
                    f"{system.url['purchases']}/purchase", json={"user_id": user_id, "item_id": 1}
                )
                assert response.status_code == 503
                assert "users service is unavailable" in response.json()["detail"]
        assert database("purchases", count_sql) == before
    finally:
        system.start("users")
