"""The whole system as `make dev` runs it, each process real, on free ports."""

import secrets
from dataclasses import dataclass, field

from tests.support import ROOT, VENV_BIN, ServiceProcess, Stack, free_port


@dataclass
class RunningSystem:
    users_url: str
    purchases_url: str
    email_worker_url: str
    router_url: str  # the gateway's base URL; GraphQL is at f"{router_url}/graphql"
    router_secret: str = ""  # what the router sends and the subgraphs require on /graphql
    inventory_url: str = ""
    payment_worker_url: str = ""
    quotes_url: str = ""  # the fake quote API and its simulated ledger
    sale_worker_url: str = ""
    spa_port: int = 0  # where tests/browser serves the SPA; the router allows its origin (CORS)
    processes: list[ServiceProcess] = field(default_factory=list)

    @property
    def graphql_url(self) -> str:
        return f"{self.router_url}/graphql"

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def start_system(stack: Stack, **settings: str) -> RunningSystem:
    """The quotes fake, users, purchases, the inventory, the email, payment and sale workers and
    the router; returns once each answers its health check, or raises with the failing process's
    log. `settings` go to every service's environment (e.g. REQUIRE_SIGN_IN="true")."""
    ports = {
        name: free_port()
        for name in (
            "users",
            "purchases",
            "inventory",
            "worker",
            "payments",
            "sale",
            "router",
            "spa",
            "quotes",
        )
    }
    url = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    secret = secrets.token_hex(16)
    system = RunningSystem(
        url["users"],
        url["purchases"],
        url["worker"],
        url["router"],
        secret,
        inventory_url=url["inventory"],
        payment_worker_url=url["payments"],
        quotes_url=url["quotes"],
        sale_worker_url=url["sale"],
        spa_port=ports["spa"],
    )
    quotes_key = secrets.token_hex(8)

    def start(name: str, command: list[str], env: dict, ready: str, cwd=ROOT) -> None:
        env = {**env, **settings, "ROUTER_SHARED_SECRET": secret}
        system.processes.append(ServiceProcess(f"{stack.name}-{name}", command, env, cwd))
        system.processes[-1].wait_ready(ready)

    try:
        start(
            "quotes-fake",
            [str(VENV_BIN / "fedshop-quotes-fake")],
            stack.env("quotes", ports["quotes"], FAKE_QUOTES_API_KEY=quotes_key),
            f"{url['quotes']}/health",
        )
        start(
            "users",
            [str(VENV_BIN / "fedshop-users")],
            stack.env("users", ports["users"]),
            f"{url['users']}/health/ready",
        )
        start(
            "purchases",
            [str(VENV_BIN / "fedshop-purchases")],
            stack.env(
                "purchases",
                ports["purchases"],
                USERS_URL=url["users"],
                QUOTES_URL=url["quotes"],
                QUOTES_API_KEY=quotes_key,
                LEDGER_URL=url["quotes"],
            ),
            f"{url['purchases']}/health/ready",
        )
        start(
            "inventory",
            [str(VENV_BIN / "fedshop-inventory")],
            stack.env("inventory", ports["inventory"], USERS_URL=url["users"]),
            f"{url['inventory']}/health/ready",
        )
        start(
            "email-worker",
            [str(VENV_BIN / "fedshop-email-worker")],
            stack.env("emails", ports["worker"]),
            f"{url['worker']}/health/ready",
        )
        start(
            "payment-worker",
            [str(VENV_BIN / "fedshop-payment-worker")],
            stack.env("payments", ports["payments"], LEDGER_URL=url["quotes"]),
            f"{url['payments']}/health/ready",
        )
        start(
            "sale-worker",
            [str(VENV_BIN / "fedshop-sale-worker")],
            stack.env("purchases", ports["sale"]),
            f"{url['sale']}/health/ready",
        )
        router_env = stack.env(
            "router",
            ports["router"],
            USERS_SUBGRAPH_URL=f"{url['users']}/graphql",
            PURCHASES_SUBGRAPH_URL=f"{url['purchases']}/graphql",
            INVENTORY_SUBGRAPH_URL=f"{url['inventory']}/graphql",
            # The browser opens the SPA at http://localhost:<port>, as in `make dev`.
            CORS_ORIGINS=f"http://localhost:{ports['spa']}",
        )
        start(
            "router",
            ["node_modules/.bin/hive-gateway", "supergraph"],
            router_env,
            f"{url['router']}/readiness",
            cwd=ROOT / "router",
        )
    except BaseException:
        system.stop()
        raise
    return system
