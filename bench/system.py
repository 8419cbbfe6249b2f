"""The system under test, started as `make dev` runs it (through `tests/system.py`), on free ports
in its own databases and broker namespace, which are removed afterwards."""

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

import psycopg
from fedshop_common.database import drop_database
from fedshop_common.messaging import delete_namespace
from sqlalchemy.engine import make_url

from tests.support import AMQP_URL, VENV_BIN, ServiceProcess, Stack, broker_queue_names, free_port
from tests.system import RunningSystem, start_system

DATABASES = ("users", "purchases", "inventory", "emails", "payments")
EMAIL_DEADLINE_SECONDS = 120.0


@dataclass
class BenchSystem:
    stack: Stack
    running: RunningSystem
    extra: list[ServiceProcess] = field(default_factory=list)

    @property
    def pids(self) -> dict[str, int]:
        """Process name (users, purchases, email-worker, router, …) -> pid."""
        prefix = f"{self.stack.name}-"
        return {
            process.name.removeprefix(prefix): process.process.pid
            for process in [*self.running.processes, *self.extra]
        }

    def libpq_url(self, service: str) -> str:
        """The service's database, for psycopg."""
        url = make_url(self.stack.database_url(service)).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    def wait_for_emails(self, since: datetime) -> float:
        """Seconds until every purchase made since `since` shows its email, or the deadline."""
        started = time.monotonic()
        with psycopg.connect(self.libpq_url("purchases"), autocommit=True) as db:
            while time.monotonic() - started < EMAIL_DEADLINE_SECONDS:
                waiting = db.execute(
                    "SELECT count(*) FROM purchases "
                    "WHERE created_at >= %s AND email_sent_at IS NULL",
                    (since,),
                ).fetchone()[0]
                if not waiting:
                    break
                time.sleep(0.1)
        return time.monotonic() - started

    def start_python(self, name: str, module: str, **env: str) -> str:
        """Run `python -m module` beside the system on a free port; returns its base URL."""
        port = free_port()
        process = ServiceProcess(
            f"{self.stack.name}-{name}",
            [str(VENV_BIN / "python"), "-m", module],
            self.stack.env("bench", port, **env),
        )
        self.extra.append(process)
        url = f"http://127.0.0.1:{port}"
        process.wait_ready(f"{url}/health")
        return url


def remove_stack(stack: Stack) -> None:
    """What the root conftest.py does after a test run: drop the databases, delete the names."""
    for service in DATABASES:
        drop_database(stack.database_url(service))
    asyncio.run(delete_namespace(AMQP_URL, stack.namespace, broker_queue_names()))


@contextmanager
def bench_system() -> Iterator[BenchSystem]:
    """Users, purchases, the email worker and the router, running until the block ends. Emails
    are logged, not sent (SMTP off), as `make dev` does by default."""
    stack = Stack("bench")
    try:
        # Load from one address: the per-client limits on buying and creating users are off.
        system = BenchSystem(stack, start_system(stack, RATE_LIMITS="off"))
        try:
            yield system
        finally:
            for process in system.extra:
                process.stop()
            system.running.stop()
    finally:
        remove_stack(stack)
