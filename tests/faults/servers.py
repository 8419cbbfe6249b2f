"""A PostgreSQL server and a RabbitMQ node of the test's own, on free ports, so that a fault test
can really restart them without touching the machine's shared ones (or other test runs)."""

import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from tests.support import LOG_DIR, free_port

# The newest installed server's programs, e.g. /usr/lib/postgresql/15/bin.
PG_BIN = max(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name)) / "bin"


def _wait_for_port(port: int, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {port} after {within}s")


class PrivatePostgres:
    """initdb'd into a temporary folder (owned by `postgres`: PostgreSQL will not run as root),
    trust auth on 127.0.0.1:<port>."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="fedshop-pg-"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self.log = LOG_DIR / f"private-postgres-{self.port}.log"
        self._as_postgres(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"]
        )
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def _as_postgres(self, command: list[str]) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        log = self.folder / "server.log"  # postgres may write there; copied out on removal
        pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(log)]
        self._as_postgres([*pg_ctl, "-w", "start"])

    def stop(self) -> None:
        self._as_postgres(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
        )

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        if (self.folder / "server.log").exists():
            LOG_DIR.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.folder / "server.log", self.log)
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRabbitMQ:
    """A RabbitMQ node of its own name, ports and data folder (owned by `rabbitmq`); no plugins
    unless asked for the management API (on a port of its own, `management_port`)."""

    def __init__(self, management: bool = False) -> None:
        self.port = free_port()
        self.management_port = free_port() if management else None
        self.node = f"fedshop-faults-{uuid.uuid4().hex[:8]}@localhost"
        self.folder = Path(tempfile.mkdtemp(prefix="fedshop-rabbitmq-"))
        (self.folder / "plugins").write_text("[rabbitmq_management].\n" if management else "")
        shutil.chown(self.folder, "rabbitmq", "rabbitmq")
        shutil.chown(self.folder / "plugins", "rabbitmq", "rabbitmq")
        self.env = {
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_MNESIA_BASE": str(self.folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.folder / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.folder / "plugins"),
            "RABBITMQ_PID_FILE": str(self.folder / "pid"),
            "RABBITMQ_CONFIG_FILE": str(self.folder / "none"),
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        }
        if management:
            self.env["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = (
                f"-rabbitmq_management tcp_config [{{port,{self.management_port}}}]"
            )
        self._process: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def start(self) -> None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        out = (LOG_DIR / f"private-rabbitmq-{self.port}.log").open("a")
        self._process = subprocess.Popen(
            ["rabbitmq-server"],
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_for_port(self.port, within=90)

    def stop(self) -> None:
        subprocess.run(
            ["rabbitmqctl", "-n", self.node, "stop"],
            env=self.env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        if self._process is not None:
            self._process.wait(timeout=60)
            self._process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
