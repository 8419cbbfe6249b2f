"""One broker user per service, allowed the events exchange and its own queues only.

Run once per deployment with the broker admin's credentials (the compose file's
`broker-accounts` service does):

    python -m fedshop_common.messaging.accounts purchases inventory email-worker …

Each user's password comes from `<USER>_BROKER_PASSWORD` (`email-worker` reads
`EMAIL_WORKER_BROKER_PASSWORD`); the admin's from `RABBITMQ_ADMIN_URL` (the management API,
e.g. `http://fedshop-admin:secret@rabbitmq:15672`). Every call is a PUT, so running it again
changes nothing. A service's queues are the ones named after it (`purchases.catalog`, …), as
each service's `queues.py` names them; with its own user, the broker stamps (and checks) the
`user_id` of every event it publishes, which the consumers' `EVENT_PUBLISHERS` rules rely on."""

import os
import re
import sys
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import httpx
from tenacity import retry, retry_if_exception_type, stop_after_delay, wait_fixed

from fedshop_common.messaging.topology import EXCHANGE

VHOST = "/"


@dataclass(frozen=True)
class ServiceAccount:
    user: str
    password: str

    @property
    def permissions(self) -> dict[str, str]:
        # Publishing a retry into a delay queue goes through the default exchange (named
        # `amq.default` for permissions); binding needs read on the exchange, write on the queue.
        own = f"{re.escape(self.user)}\\..*"
        exchange = re.escape(EXCHANGE)
        return {
            "configure": f"^({exchange}|{own})$",
            "write": f"^({exchange}|amq\\.default|{own})$",
            "read": f"^({exchange}|{own})$",
        }


def password_variable(user: str) -> str:
    return f"{user.upper().replace('-', '_')}_BROKER_PASSWORD"


def accounts_from_environment(users: list[str]) -> list[ServiceAccount]:
    missing = [
        password_variable(user) for user in users if not os.environ.get(password_variable(user))
    ]
    if missing:
        raise SystemExit(f"no password for the broker users: set {', '.join(missing)}")
    return [ServiceAccount(user, os.environ[password_variable(user)]) for user in users]


def _admin_client(admin_url: str) -> httpx.Client:
    parts = urlsplit(admin_url)
    if not parts.username or not parts.password:
        raise SystemExit("RABBITMQ_ADMIN_URL must carry the admin's user and password")
    base = f"{parts.scheme}://{parts.hostname}:{parts.port or 15672}/api"
    return httpx.Client(base_url=base, auth=(parts.username, parts.password), timeout=10)


# The management API answers some seconds after the AMQP port: wait for it, boundedly.
@retry(
    retry=retry_if_exception_type(httpx.TransportError),
    stop=stop_after_delay(120),
    wait=wait_fixed(2),
    reraise=True,
)
def _wait_until_answering(client: httpx.Client) -> None:
    client.get("/overview").raise_for_status()


def apply(admin_url: str, accounts: list[ServiceAccount]) -> None:
    with _admin_client(admin_url) as client:
        _wait_until_answering(client)
        vhost = quote(VHOST, safe="")
        for account in accounts:
            user = quote(account.user, safe="")
            client.put(
                f"/users/{user}", json={"password": account.password, "tags": ""}
            ).raise_for_status()
            client.put(f"/permissions/{vhost}/{user}", json=account.permissions).raise_for_status()
            print(f"broker user {account.user}: its own queues and {EXCHANGE}")


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    admin_url = os.environ.get("RABBITMQ_ADMIN_URL") or sys.exit("RABBITMQ_ADMIN_URL is not set")
    apply(admin_url, accounts_from_environment(argv))


if __name__ == "__main__":
    main(sys.argv[1:])
