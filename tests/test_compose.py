"""docker-compose.yml, checked without a Docker engine: it validates (with the Apollo override
too), every service is healthchecked, restarted and buildable, it agrees with `make dev` (the
Procfile) on services, ports and environment variable names, and the stand-in images that
`make test-compose` builds carry exactly the names it and our Dockerfiles use. tests/compose
brings it up for real."""

import json
import re
import shutil
import subprocess

import pytest
import yaml
from fedshop_email_worker.settings import EmailWorkerSettings
from fedshop_inventory.settings import InventorySettings
from fedshop_payment_worker.settings import PaymentWorkerSettings
from fedshop_purchases.sale.worker import SaleWorkerSettings
from fedshop_purchases.settings import PurchasesSettings
from fedshop_users.settings import UsersSettings

from tests.support import ROOT

COMPOSE_FILE = ROOT / "docker-compose.yml"
APOLLO_FILE = ROOT / "docker-compose.apollo.yml"
STANDINS = ROOT / "docker/standins/build.sh"
BALANCER_CONFIG = ROOT / "docker/balancer/haproxy.cfg"
# Published on every address: what a person opens. Everything else only on 127.0.0.1.
PUBLIC = {"router", "frontend"}
UNPUBLISHED = {"postgres", "redis", "broker-accounts"}
# Run once per `up` and exit: no healthcheck, no restart.
ONE_SHOT = {"broker-accounts"}
ENV_EXAMPLE = ROOT / ".env.example"
POSTGRES_INIT = ROOT / "docker/postgres-init/01-databases.sh"
EMAIL_WORKER_DRAIN_SECONDS = 30  # how long it finishes the emails in hand when told to stop
# What each service reads from its environment: the settings' fields, or the gateway config.
SETTINGS = {
    "users": UsersSettings,
    "purchases": PurchasesSettings,
    "inventory": InventorySettings,
    "email-worker": EmailWorkerSettings,
    "payment-worker": PaymentWorkerSettings,
    "sale-worker": SaleWorkerSettings,
}
# A process of a service that works on that service's database, with its role.
PART_OF = {"sale-worker": "purchases"}
# The SPA runs as Vite's dev server under `make dev` and as nginx in compose (DESIGN.md).
PORTS_THAT_DIFFER_BY_DESIGN = {"frontend": (5173, 8080)}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


# Read by the OpenTelemetry SDKs themselves (Python and Node), not by our settings.
OTEL_PREFIX = "OTEL_"
OBSERVABILITY = {"otel-collector", "jaeger", "prometheus", "grafana"}
OBSERVABILITY_DIR = ROOT / "docker/observability"


def known_variables(service: str) -> set[str]:
    if service == "router":
        return set(
            re.findall(r"\b[A-Z][A-Z0-9_]{2,}\b", (ROOT / "router/gateway.config.ts").read_text())
        )
    return {name.upper() for name in SETTINGS[service].model_fields} | READ_BY_UVICORN


# uvicorn's own (whom to believe in X-Forwarded-For), read by every Python service's server.
READ_BY_UVICORN = {"FORWARDED_ALLOW_IPS"}


def published(port: str) -> str:
    """'127.0.0.1:4001:4001' -> '4001:4001'."""
    return ":".join(port.split(":")[-2:])


@pytest.mark.parametrize("files", [[COMPOSE_FILE], [COMPOSE_FILE, APOLLO_FILE]], ids=["", "apollo"])
def test_the_files_pass_docker_compose_1_29_config(files):
    docker_compose = shutil.which("docker-compose")
    if docker_compose is None:
        pytest.fail("docker-compose is missing: `make test` installs Debian's docker-compose")
    result = subprocess.run(
        [docker_compose, *(f"--file={file}" for file in files), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_service_has_a_healthcheck(compose):
    missing = [
        name
        for name, service in compose["services"].items()
        if "healthcheck" not in service and name not in ONE_SHOT
    ]
    assert missing == []


def test_every_build_context_and_dockerfile_exists(compose):
    for name, service in compose["services"].items():
        if "build" not in service:
            assert re.search(r":[\w.-]*\d", service["image"]), f"{name}: image not pinned"
            continue
        build = (
            service["build"]
            if isinstance(service["build"], dict)
            else {"context": service["build"]}
        )
        context = ROOT / build["context"]
        assert context.is_dir(), f"{name}: no build context {context}"
        assert (context / build.get("dockerfile", "Dockerfile")).is_file(), f"{name}: no Dockerfile"


def test_compose_runs_what_make_dev_runs_on_the_same_ports(compose, procfile):
    for name, command in procfile.items():
        assert name in compose["services"], f"make dev runs {name}; compose does not"
        dev_port = int(re.search(r"(?:PORT=|--port )(\d+)", command).group(1))
        service = compose["services"][name]
        container_port = int(service.get("environment", {}).get("PORT", 0)) or int(
            service["ports"][0].split(":")[-1]
        )
        expected = PORTS_THAT_DIFFER_BY_DESIGN.get(name, (dev_port, dev_port))
        assert (dev_port, container_port) == expected, name
        ports = [published(port) for port in service["ports"]]
        assert f"{container_port}:{container_port}" in ports, f"{name} not published"


def test_compose_and_make_dev_name_only_variables_the_services_read(compose, procfile):
    for name in [*SETTINGS, "router"]:
        known = known_variables(name)
        set_by_compose = {
            variable
            for variable in compose["services"][name].get("environment", {})
            if not variable.startswith(OTEL_PREFIX)
        }
        set_by_make_dev = set(re.findall(r"\b([A-Z][A-Z0-9_]+)=", procfile[name]))
        assert set_by_compose <= known, f"{name}: compose sets {set_by_compose - known}"
        assert set_by_make_dev <= known, f"{name}: make dev sets {set_by_make_dev - known}"


def test_each_subgraph_runs_twice_behind_the_balancer_the_router_calls(compose):
    services = compose["services"]
    balancer = services["balancer"]
    assert balancer["networks"]["default"]["aliases"] == ["users-replicas", "purchases-replicas"]
    config = BALANCER_CONFIG.read_text()
    for subgraph, port in (("users", 4001), ("purchases", 4002)):
        replicas = [s for s in services if s.startswith(subgraph)]
        assert len(replicas) == 2
        for replica in replicas:
            assert f"server {replica} {replica}:{port}\n" in config
            assert f"{replica}" in balancer["depends_on"]
        assert f"bind :{port}\n" in config
        assert services["router"]["environment"][f"{subgraph.upper()}_SUBGRAPH_URL"] == (
            f"http://{subgraph}-replicas:{port}/graphql"
        )
    assert services["purchases"]["environment"]["USERS_URL"] == "http://users-replicas:4001"


def test_the_warehouse_runs_once_and_the_router_calls_it(compose):
    services = compose["services"]
    inventory = services["inventory"]
    assert [s for s in services if s.startswith("inventory")] == ["inventory"]
    assert inventory["environment"]["DATABASE_URL"].endswith("/fedshop_inventory")
    assert inventory["environment"]["USERS_URL"] == "http://users-replicas:4001"
    assert (
        inventory["environment"]["ROUTER_SHARED_SECRET"]
        == (services["router"]["environment"]["ROUTER_SHARED_SECRET"])
    )
    assert services["router"]["environment"]["INVENTORY_SUBGRAPH_URL"] == (
        "http://inventory:4004/graphql"
    )
    assert "inventory" in services["router"]["depends_on"]
    assert "fedshop_inventory\n" in POSTGRES_INIT.read_text()


def test_only_the_router_and_the_spa_are_published_beyond_localhost(compose):
    for name, service in compose["services"].items():
        ports = service.get("ports", [])
        if name in UNPUBLISHED:
            assert ports == [], name
        elif name not in PUBLIC:
            assert all(port.startswith("127.0.0.1:") for port in ports), name
    assert [published(p) for p in compose["services"]["rabbitmq"]["ports"]] == ["15672:15672"]


def test_services_restart_and_stop_after_their_drain(compose):
    services = compose["services"]
    assert {s.get("restart") for n, s in services.items() if n not in ONE_SHOT} == {
        "unless-stopped"
    }
    assert {services[name]["restart"] for name in ONE_SHOT} == {"no"}
    grace = services["email-worker"]["stop_grace_period"]
    assert int(grace.removesuffix("s")) > EMAIL_WORKER_DRAIN_SECONDS


def test_the_broker_keeps_its_queues_across_down_and_up(compose):
    rabbitmq = compose["services"]["rabbitmq"]
    assert rabbitmq["hostname"] == "rabbitmq"  # the node's name, and so its data folder's
    assert "rabbitmq-data:/var/lib/rabbitmq" in rabbitmq["volumes"]
    assert {"postgres-data", "rabbitmq-data"} <= set(compose["volumes"])


def test_the_readiness_path_is_named_once():
    text = COMPOSE_FILE.read_text()
    assert len(re.findall(r"/health\b", text)) == 1


def test_no_compose_v2_only_syntax():
    for file in (COMPOSE_FILE, APOLLO_FILE):
        assert "!reset" not in file.read_text() and "!override" not in file.read_text()


def test_every_build_context_has_a_dockerignore(compose):
    contexts = {
        service["build"]["context"] if isinstance(service["build"], dict) else service["build"]
        for service in compose["services"].values()
        if "build" in service
    }
    assert contexts == {".", "router", "frontend"}
    for context in contexts:
        assert "node_modules" in (ROOT / context / ".dockerignore").read_text(), context


def test_the_stand_ins_carry_the_names_of_every_base_image():
    # The observability profile is not brought up by `make test-compose`: no stand-ins for it.
    services = yaml.safe_load(COMPOSE_FILE.read_text())["services"].values()
    used = {
        service["image"] for service in services if "image" in service and "profiles" not in service
    }
    for dockerfile in ROOT.glob("*/**/Dockerfile"):
        if "standins" in dockerfile.parts or "apollo" in dockerfile.parts:
            continue
        used |= set(re.findall(r"^FROM (\S+)", dockerfile.read_text(), re.MULTILINE))
    used |= set(
        re.findall(r"^FROM (\S+)", (ROOT / "docker/python-service.Dockerfile").read_text(), re.M)
    )
    standins = set(re.findall(r'^  "(\S+)\s+\S+"$', STANDINS.read_text(), re.MULTILINE))
    assert used == standins


def test_the_observability_profile_is_apart_and_only_it(compose):
    services = compose["services"]
    with_profiles = {name for name, service in services.items() if "profiles" in service}
    assert with_profiles == OBSERVABILITY
    for name in OBSERVABILITY:
        assert services[name]["profiles"] == ["observability"]
    for name, service in services.items():  # nothing of the default set waits for the profile
        if name not in OBSERVABILITY:
            assert not OBSERVABILITY & set(service.get("depends_on", {})), name
    for name in [*SETTINGS, "router"]:  # tracing stays off unless the endpoint is given
        assert services[name]["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"] == (
            "${OTEL_EXPORTER_OTLP_ENDPOINT:-}"
        ), name
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"


# Stand-ins for third parties (fakes/): nothing of ours to measure, no /metrics.
FAKES = {"quotes"}


def test_prometheus_scrapes_every_python_service_container_by_name(compose):
    config = yaml.safe_load((OBSERVABILITY_DIR / "prometheus.yml").read_text())
    targets = {
        target: group["labels"]["service"]
        for job in config["scrape_configs"]
        for group in job["static_configs"]
        for target in group["targets"]
    }
    expected = {}
    for name, service in compose["services"].items():
        if name in FAKES:
            continue
        if "PORT" in service.get("environment", {}):  # the Python services and the router
            base = name.removesuffix("-replica")
            expected[f"{name}:{service['environment']['PORT']}"] = base
    assert targets == expected


def test_the_dashboard_shows_the_named_series():
    dashboard = json.loads((OBSERVABILITY_DIR / "grafana/dashboards/fedshop.json").read_text())
    exprs = " ".join(
        target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])
    )
    for series in (
        "http_requests_total",
        "http_request_duration_seconds_bucket",
        "fedshop_outbox_backlog",
        "fedshop_outbox_oldest_age_seconds",
        "fedshop_queue_messages",
        'fedshop_messages_processed_total{queue="email-worker.purchases"}',
        "fedshop_messages_failed_total",
    ):
        assert series in exprs, series
    assert 'kind="dlq"' in exprs
    titles = [panel["title"] for panel in dashboard["panels"]]
    assert {"Payments", "Stock"} <= set(titles)  # placeholders until the checkout issue
    provider = yaml.safe_load(
        (OBSERVABILITY_DIR / "grafana/provisioning/dashboards/fedshop.yaml").read_text()
    )
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"


NGINX_CONF = ROOT / "frontend" / "nginx.conf"


def test_nginx_sends_the_security_headers_on_every_answer():
    conf = NGINX_CONF.read_text()
    headers = dict(re.findall(r'add_header\s+(\S+)\s+"([^"]*)"\s+always;', conf))
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = dict(
        (part.split()[0], part.split()[1:])
        for part in headers["Content-Security-Policy"].split("; ")
    )
    assert policy["script-src"] == ["'self'"]  # no inline script, no other origin
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    # A location with an add_header of its own would drop the server's: none has one.
    locations = re.split(r"^\s*location ", conf, maxsplit=1, flags=re.MULTILINE)[1]
    assert "add_header" not in locations


def _urls(compose: dict, variable: str) -> dict[str, str]:
    return {
        name: service["environment"][variable]
        for name, service in compose["services"].items()
        if variable in service.get("environment", {})
    }


def test_each_service_has_a_database_role_of_its_own_owning_only_its_database(compose):
    init = POSTGRES_INIT.read_text()
    made = dict(re.findall(r"^service_database (\S+) \S+ (\S+)$", init, re.MULTILINE))
    roles = {}
    for name, url in _urls(compose, "DATABASE_URL").items():
        role, database = re.fullmatch(
            r"postgresql\+psycopg://([^:]+):.*@postgres:5432/(\w+)", url
        ).groups()
        assert role != "postgres", f"{name} connects as the superuser"
        assert made.get(role) == database, (
            f"{name}: docker/postgres-init makes no {role} for {database}"
        )
        roles.setdefault(role, set()).add(PART_OF.get(name, name.removesuffix("-replica")))
    assert all(len(users) == 1 for users in roles.values()), roles
    assert "REVOKE ALL ON DATABASE" in init  # no role connects to another's database


def test_each_service_has_a_broker_user_of_its_own_and_consumers_know_who_publishes(compose):
    services = compose["services"]
    accounts = services["broker-accounts"]["command"][3:]
    users = {
        name: re.fullmatch(r"amqp://([^:]+):.*@rabbitmq:5672/", url).group(1)
        for name, url in _urls(compose, "AMQP_URL").items()
    }
    assert "guest" not in COMPOSE_FILE.read_text()
    assert set(users.values()) <= set(accounts)
    for name, user in users.items():
        assert user == name.removesuffix("-replica"), f"{name} connects as {user}"
        assert (
            f"{user.upper().replace('-', '_')}_BROKER_PASSWORD"
            in services["broker-accounts"]["environment"]
        )
    publishers = dict(rule.split("=") for rule in compose["x-event-publishers"].split(","))
    assert set(publishers.values()) <= set(accounts)
    assert {"broker-accounts"} <= set(services["purchases"]["depends_on"])
    for name in users:  # every consumer checks who published
        assert services[name]["environment"]["EVENT_PUBLISHERS"] == compose["x-event-publishers"]


def test_every_default_secret_is_listed_in_env_example_with_its_default():
    listed = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    defaults = dict(
        re.findall(r"\$\{(\w*(?:PASSWORD|SECRET|KEY)\w*):-([^}]*)\}", COMPOSE_FILE.read_text())
    )
    assert defaults, "no secrets found in docker-compose.yml"
    assert {name: listed.get(name) for name in defaults} == defaults
