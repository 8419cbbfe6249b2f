"""Test plumbing: isolated databases and broker names per run, real service processes, polling."""

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import aio_pika
import httpx
from asgi_lifespan import LifespanManager
from fedshop_common.messaging import QueueSpec, RetryPolicy
from fedshop_common.messaging.topology import declare_exchange, declare_queue
from fedshop_email_worker.queues import QUEUES as EMAIL_WORKER_QUEUES
from fedshop_inventory.queues import QUEUES as INVENTORY_QUEUES
from fedshop_payment_worker.queues import QUEUES as PAYMENT_WORKER_QUEUES
from fedshop_purchases.queues import QUEUES as PURCHASES_QUEUES
from fedshop_purchases.sale.queues import QUEUES as SALE_WORKER_QUEUES
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
AMQP_URL = os.environ.get("TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
LOG_DIR = ROOT / "test-artifacts" / "logs"
T = TypeVar("T")


# A service under test retries every second for a minute: one delay queue per consumed queue, not
# the production policy's ten (every delay queue is a quorum queue; hundreds of them slow a small
# broker down). The retry tests set their own policy.
TEST_RETRY_ENV = {
    "RETRY_FIRST_DELAY_SECONDS": "1",
    "RETRY_MAX_DELAY_SECONDS": "1",
    "RETRY_GIVE_UP_AFTER_SECONDS": "60",
}


def new_run_id() -> str:
    """The minute it was made (hex, so that leftovers can be told by age) and a random part."""
    return f"{int(time.time() // 60):x}{uuid.uuid4().hex[:4]}"


def _minutes_old(namespace: str) -> float:
    """How long ago the test namespace `test-<run id>-<name>.` was made (inf: not ours)."""
    try:
        made = int(namespace.removeprefix("test-")[:7], 16)
    except ValueError:
        return float("inf")
    return time.time() / 60 - made


@dataclass
class Stack:
    """One isolated world: its own databases, and its own exchange/queue/channel namespace."""

    name: str
    run_id: str = field(default_factory=new_run_id)

    @property
    def namespace(self) -> str:
        return f"test-{self.run_id}-{self.name}."

    def database_url(self, service: str) -> str:
        return f"{POSTGRES_URL}/fedshop_{service}_{self.run_id}_{self.name}"

    def env(self, service: str, port: int, **extra: str) -> dict[str, str]:
        """The environment a service process gets: the same variables `make dev` sets."""
        return {
            **os.environ,
            "DATABASE_URL": self.database_url(service),
            "REDIS_URL": REDIS_URL,
            "AMQP_URL": AMQP_URL,
            "NAMESPACE": self.namespace,
            "PORT": str(port),
            "LOG_LEVEL": "info",
            "PYTHONUNBUFFERED": "1",
            **TEST_RETRY_ENV,
            **extra,
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServiceProcess:
    """A real service process, started with the command `make dev` uses, logging to a file."""

    def __init__(
        self, name: str, command: list[str], env: dict[str, str], cwd: Path = ROOT
    ) -> None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.log_path = LOG_DIR / f"{name}.log"
        self._launch = (command, env, cwd)
        self._log = self.log_path.open("w")
        self.process = self._spawn()

    def _spawn(self) -> subprocess.Popen:
        command, env, cwd = self._launch
        return subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_again(self) -> None:
        """After `stop`: the same command and environment, logging on in the same file."""
        self._log = self.log_path.open("a")
        self.process = self._spawn()

    def wait_ready(self, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                if httpx.get(url, timeout=1).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} not ready at {url} after {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text().splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@contextmanager
def serving(
    stack: "Stack", name: str, script: str, service: str, ready: str = "/health", **env: str
) -> Iterator[str]:
    """Run one of the workspace's scripts (e.g. `fedshop-users`) for the block, on a free port
    with the stack's environment; yields its base URL once `ready` answers."""
    port = free_port()
    process = ServiceProcess(name, [str(VENV_BIN / script)], stack.env(service, port, **env))
    url = f"http://127.0.0.1:{port}"
    try:
        process.wait_ready(f"{url}{ready}")
        yield url
    finally:
        process.stop()


async def eventually(
    probe: Callable[[], Awaitable[T]], within: float = 20, every: float = 0.1
) -> T:
    """Poll `probe` until it returns a truthy value, or fail after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = await probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"still {result!r} after {within}s")
        await asyncio.sleep(every)


# What the orders tests read (no service of this repository binds all of these): the order
# events the purchases service publishes, as their consumers would get them.
ORDER_EVENTS_QUEUE = QueueSpec("test-observer.orders", ("order.*",))
# Every queue of the system, as the services declare them (purchases' include
# `purchases.payments`), and the tests' own.
ALL_QUEUES: tuple[QueueSpec, ...] = (
    *PURCHASES_QUEUES,
    *INVENTORY_QUEUES,
    *EMAIL_WORKER_QUEUES,
    *PAYMENT_WORKER_QUEUES,
    *SALE_WORKER_QUEUES,
    ORDER_EVENTS_QUEUE,
)
# What a test declares to read a queue the service under test does not consume itself; only the
# delay queues depend on the policy, and they are named by their pause.
TEST_RETRY = RetryPolicy(1, 1, 1)


@dataclass
class TestBroker:
    """A test's own view of a stack's broker: publishes like a service (with confirms), and
    declares every queue of the system, so that events wait for a consumer that is not running."""

    connection: aio_pika.abc.AbstractConnection
    channel: aio_pika.abc.AbstractChannel
    exchange: aio_pika.abc.AbstractExchange
    namespace: str
    queues: dict[str, aio_pika.abc.AbstractQueue]

    __test__ = False  # not a pytest class

    @classmethod
    async def connect(cls, url: str, namespace: str) -> "TestBroker":
        connection = await aio_pika.connect(url)
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        exchange = await declare_exchange(channel, namespace)
        queues = {
            spec.name: await declare_queue(channel, spec, namespace, TEST_RETRY)
            for spec in ALL_QUEUES
        }
        return cls(connection, channel, exchange, namespace, queues)

    async def publish(self, routing_key: str, body: bytes, message_id: str) -> None:
        message = aio_pika.Message(
            body,
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=message_id,
            type=routing_key,
        )
        await self.exchange.publish(message, routing_key, mandatory=True, timeout=10)

    async def declare(self, spec: QueueSpec) -> aio_pika.abc.AbstractQueue:
        """Declare (and keep) one more queue, e.g. one whose service is not in ALL_QUEUES yet."""
        if spec.name not in self.queues:
            self.queues[spec.name] = await declare_queue(
                self.channel, spec, self.namespace, TEST_RETRY
            )
        return self.queues[spec.name]

    async def dlq(self, queue: str) -> aio_pika.abc.AbstractQueue:
        return await self.channel.declare_queue(f"{self.namespace}{queue}.dlq", passive=True)

    async def close(self) -> None:
        await self.connection.close()


def _list_queues(*columns: str) -> list[list[str]]:
    """Rows of `rabbitmqctl list_queues` (AMQP cannot list queues)."""
    listed = subprocess.run(
        ["rabbitmqctl", "-q", "--no-table-headers", "list_queues", *columns],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return [line.split("\t") for line in listed.stdout.splitlines() if line.strip()]


def broker_queue_names() -> list[str]:
    """Every queue on the local broker."""
    return [row[0].strip() for row in _list_queues("name")]


async def remove_leftover_test_queues() -> int:
    """Delete the queues that earlier test runs left on the shared broker (a run that was killed
    cannot clean up): `test-` queues without a consumer made longer ago than any run lasts."""
    leftovers = [
        row[0]
        for row in _list_queues("name", "consumers")
        if row[0].startswith("test-") and row[1].strip() == "0" and _minutes_old(row[0]) > 180
    ]
    if leftovers:
        connection = await aio_pika.connect(AMQP_URL, timeout=15)
        async with connection:
            channel = await connection.channel()
            for name in leftovers:
                await channel.queue_delete(name)
    return len(leftovers)


async def check_broker_answers(within: float = 15) -> None:
    """Fail fast when the broker does not answer (else every broker test waits its timeout)."""
    connection = await aio_pika.connect(AMQP_URL, timeout=within)
    async with connection:
        channel = await connection.channel()
        queue = await asyncio.wait_for(
            channel.declare_queue("", exclusive=True, auto_delete=True), within
        )
        await queue.delete()


class QueueReader:
    """Reads what reached one of the stack's queues, as a consumer of that queue would."""

    def __init__(self, broker: TestBroker, queue: str) -> None:
        self._queue = broker.queues[queue]
        self.bodies: list[dict] = []

    async def drain(self) -> list[dict]:
        while message := await self._queue.get(no_ack=True, fail=False):
            self.bodies.append(json.loads(message.body))
        return self.bodies

    async def about(
        self, purchase_id: object, count: int = 1, key: str = "purchase_id"
    ) -> list[dict]:
        """Wait for `count` messages about this purchase (or, by `key`, this order), and return
        them."""

        async def found() -> list[dict]:
            await self.drain()
            matching = [b for b in self.bodies if b.get(key) == str(purchase_id)]
            return matching if len(matching) >= count else []

        return await eventually(found)


class TcpProxy:
    """A TCP proxy the test owns, to make a dependency unreachable and bring it back."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def cut(self) -> None:
        """Refuse new connections and drop the open ones."""
        assert self._server is not None
        self._server.close()
        for writer in list(self._pipes):
            writer.transport.abort()
        await self._server.wait_closed()
        self._server = None

    async def _serve(self, client_reader, client_writer) -> None:
        try:
            target_reader, target_writer = await asyncio.open_connection(*self._target)
        except OSError:
            client_writer.transport.abort()
            return
        self._pipes |= {client_writer, target_writer}
        await asyncio.gather(
            self._pump(client_reader, target_writer), self._pump(target_reader, client_writer)
        )
        self._pipes -= {client_writer, target_writer}

    @staticmethod
    async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.transport.abort()


class BackgroundTcpProxy:
    """A TcpProxy on its own thread and event loop, so it keeps forwarding while the test blocks
    (e.g. waiting for a process that connects through it to become ready)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._proxy = TcpProxy(target_host, target_port)
        self.port = self._proxy.port
        self.start()

    def _run(self, coroutine) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    def start(self) -> None:
        self._run(self._proxy.start())

    def cut(self) -> None:
        self._run(self._proxy.cut())

    def close(self) -> None:
        if self._proxy._server is not None:
            self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


def client_of(app) -> httpx.AsyncClient:  # noqa: ANN001 (any ASGI app)
    """An HTTP client that calls an in-process app (start its lifespan with `started`)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://app")


@asynccontextmanager
async def started(app) -> AsyncIterator[httpx.AsyncClient]:  # noqa: ANN001
    """The app with its lifespan running (migrations, connections), and a client of it."""
    # A service's shutdown may drain for longer than asgi-lifespan's 5 s (consumers finish the
    # messages in hand, background tasks stop) on a loaded machine; each step is bounded.
    async with (
        LifespanManager(app, startup_timeout=60, shutdown_timeout=60),
        client_of(app) as client,
    ):
        yield client


@contextmanager
def recorded_sql(engine, keep: Callable[[str], bool] = lambda _: True) -> Iterator[list[str]]:  # noqa: ANN001
    """The SQL statements `engine` (an AsyncEngine) sends inside the block, those `keep` accepts."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        if keep(statement):
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


FIFTY_MB = 50 * 1024 * 1024
CHUNK = b"x" * (1024 * 1024)
EARLY_PIECES = 3  # 3 MB: past every door's 1 MB cap


async def post_big(url: str, declared: bool) -> int:
    """POST 50 MB (with a Content-Length, or chunked) as a careful client does, and return the
    answer's status. Like curl's `Expect: 100-continue`, it waits a second after the headers, and
    after each of the first megabytes, for an early answer (a server may refuse on the declared
    length, or once it has counted past its cap) before sending the rest, reading the answer
    while it sends: a server that answers and closes with much of the body
    still coming makes the kernel reset the connection, and Linux then drops an answer this
    client has not read yet."""
    parsed = httpx.URL(url)
    reader, writer = await asyncio.open_connection(parsed.host, parsed.port)
    framing = f"content-length: {FIFTY_MB}" if declared else "transfer-encoding: chunked"
    writer.write(
        f"POST {parsed.raw_path.decode()} HTTP/1.1\r\nhost: {parsed.host}\r\n"
        f"content-type: application/json\r\n{framing}\r\n\r\n".encode()
    )
    await writer.drain()

    def piece() -> bytes:
        return CHUNK if declared else b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK)

    # An answer on the headers alone, or (streamed) once the first pieces are past the 1 MB caps.
    for sent in range(EARLY_PIECES + 1):
        try:
            early = await asyncio.wait_for(reader.readline(), 1.0)
        except TimeoutError:
            early = b""
        if early:
            writer.close()
            return int(early.split()[1])
        if sent < EARLY_PIECES:
            writer.write(piece())
            await writer.drain()

    async def send_body() -> None:
        for _ in range(FIFTY_MB // len(CHUNK) - EARLY_PIECES):
            writer.write(piece())
            await writer.drain()
        if not declared:
            writer.write(b"0\r\n\r\n")
            await writer.drain()

    sending = asyncio.create_task(send_body())
    try:
        async with asyncio.timeout(60):
            status_line = await reader.readline()
    finally:
        sending.cancel()
        with contextlib.suppress(BaseException):
            await sending
        writer.close()
    assert status_line, "the server closed the connection without an answer"
    return int(status_line.split()[1])
