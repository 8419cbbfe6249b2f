"""What the fault tests share: the system under fault, a purchase load, and exact counts."""

import asyncio
import collections
import os
import signal
import time
import uuid

import httpx
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
    """Users, purchases and the email worker, reaching RabbitMQ, Redis and PostgreSQL through
    proxies the test can cut, and an SMTP sink that counts what is delivered. `postgres_port`
    and `amqp_port` point it at servers of the test's own (which it may restart); `env` adds
    settings to every service."""

    def __init__(
        self,
        stack: Stack,
        postgres_port: int = 5432,
        amqp_port: int = int(AMQP_URL.rsplit(":", 1)[1].strip("/")),
        env: dict[str, str] | None = None,
    ) -> None:
        self.stack = stack
        self.broker = BackgroundTcpProxy("127.0.0.1", amqp_port)
        self.redis = BackgroundTcpProxy("127.0.0.1", 6379)
        self.postgres = BackgroundTcpProxy("127.0.0.1", postgres_port)
        self.extra_env = env or {}
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
            "RATE_LIMITS": "off",
            **self.extra_env,
        }
        database = {"users": "users", "purchases": "purchases"}.get(name, "emails")
        through_proxies["DATABASE_URL"] = self.database_url(database)
        if name == "users":
            return self.stack.env("users", self.ports["users"], **through_proxies)
        if name == "purchases":
            return self.stack.env(
                "purchases", self.ports["purchases"], USERS_URL=self.url["users"], **through_proxies
            )
        return self.stack.env(
            "emails", self.ports["worker"], SMTP_URL=self.smtp.url, **through_proxies
        )

    def database_url(self, service: str, direct: bool = False) -> str:
        """The stack's database of `service`, through the PostgreSQL proxy unless `direct`."""
        url = self.stack.database_url(service)
        port = self.postgres._proxy._target[1] if direct else self.postgres.port
        return url.replace("@127.0.0.1:5432/", f"@127.0.0.1:{port}/")

    def start(self, name: str) -> None:
        command = {"users": "fedshop-users", "purchases": "fedshop-purchases"}.get(
            name, "fedshop-email-worker"
        )
        self.starts[name] += 1  # each start logs to its own file: a restart keeps the old log
        log_name = f"faults-{name}-{self.starts[name]}"
        process = ServiceProcess(log_name, [str(VENV_BIN / command)], self._env(name))
        self.processes[name] = process
        process.wait_ready(f"{self.url[name]}/health/ready")

    def kill(self, name: str) -> None:
        os.kill(self.processes[name].process.pid, signal.SIGKILL)
        self.processes[name].process.wait()

    def stop(self) -> None:
        for process in self.processes.values():
            process.stop()
        self.broker.close()
        self.redis.close()
        self.postgres.close()
        self.smtp.stop()


def database_of(system: FaultySystem):  # noqa: ANN201
    """A query function on the system's purchases and emails databases, and its closer."""
    engines = {
        service: create_engine(system.database_url(service, direct=True))
        for service in ("purchases", "emails")
    }

    def query(service: str, sql: str, **params) -> list:
        with engines[service].connect() as connection:
            return list(connection.execute(text(sql), params))

    def close() -> None:
        for engine in engines.values():
            engine.dispose()

    return query, close


async def buy_many(
    system: FaultySystem, count: int, during=None, answered_within: float = 0
) -> list[str]:
    """`count` purchases, `CONCURRENCY` at a time; `during(n)` runs after the n-th is answered.
    With `answered_within`, a purchase refused for an outage (503, or no answer) is sent again
    with its Idempotency-Key until it is answered, for at most that many seconds."""
    ids: list[str] = []
    queue = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(n)

    async def client(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            n = queue.get_nowait()
            body = {"user_id": 1 + n % 5, "item_id": (CHEAP, DEAR)[n % 2]}
            response = await _buy(http, system, body, answered_within)
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
            if during:
                await asyncio.to_thread(during, len(ids))

    async with httpx.AsyncClient(timeout=30) as http:
        await asyncio.gather(*(client(http) for _ in range(CONCURRENCY)))
    return ids


async def _buy(
    http: httpx.AsyncClient, system: FaultySystem, body: dict, answered_within: float
) -> httpx.Response:
    headers = {"Idempotency-Key": f"faults-{uuid.uuid4()}"}
    deadline = time.monotonic() + answered_within
    while True:
        try:
            response = await http.post(
                f"{system.url['purchases']}/purchase", json=body, headers=headers
            )
            if response.status_code != 503 or time.monotonic() > deadline:
                return response
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
        await asyncio.sleep(0.5)


async def assert_each_emailed_exactly_once(
    system, database, ids: list[str], within: float = 120
) -> collections.Counter:
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

    await eventually(all_reported, within=within, every=0.5)
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
