"""docker-compose.yml, checked without a Docker engine: it validates, every service is
healthchecked and buildable, and it agrees with `make dev` (the Procfile) on services, ports and
environment variable names."""

import re
import shutil
import subprocess

import pytest
import yaml
from fedshop_email_worker.settings import EmailWorkerSettings
from fedshop_purchases.settings import PurchasesSettings
from fedshop_users.settings import UsersSettings

from tests.support import ROOT

COMPOSE_FILE = ROOT / "docker-compose.yml"
# What each service reads from its environment: the settings' fields, or the gateway config.
SETTINGS = {
    "users": UsersSettings,
    "purchases": PurchasesSettings,
    "email-worker": EmailWorkerSettings,
}
# The SPA runs as Vite's dev server under `make dev` and as nginx in compose (DESIGN.md).
PORTS_THAT_DIFFER_BY_DESIGN = {"frontend": (5173, 8080)}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def known_variables(service: str) -> set[str]:
    if service == "router":
        return set(
            re.findall(r"\b[A-Z][A-Z0-9_]{2,}\b", (ROOT / "router/gateway.config.ts").read_text())
        )
    return {name.upper() for name in SETTINGS[service].model_fields}


def test_the_file_passes_docker_compose_config():
    docker_compose = shutil.which("docker-compose")
    if docker_compose is None:
        pytest.fail("docker-compose is missing: `make test` installs Debian's docker-compose")
    result = subprocess.run(
        [docker_compose, "-f", str(COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_service_has_a_healthcheck(compose):
    missing = [
        name for name, service in compose["services"].items() if "healthcheck" not in service
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
        assert f"{container_port}:{container_port}" in service["ports"], f"{name} not published"


def test_compose_and_make_dev_name_only_variables_the_services_read(compose, procfile):
    for name in [*SETTINGS, "router"]:
        known = known_variables(name)
        set_by_compose = set(compose["services"][name].get("environment", {}))
        set_by_make_dev = set(re.findall(r"\b([A-Z][A-Z0-9_]+)=", procfile[name]))
        assert set_by_compose <= known, f"{name}: compose sets {set_by_compose - known}"
        assert set_by_make_dev <= known, f"{name}: make dev sets {set_by_make_dev - known}"


def test_each_subgraph_runs_twice_behind_one_name_the_router_calls(compose):
    services = compose["services"]
    router_env = services["router"]["environment"]
    for subgraph, port in (("users", 4001), ("purchases", 4002)):
        replicas = [s for s in services if s.startswith(subgraph)]
        assert len(replicas) == 2
        for replica in replicas:
            assert services[replica]["networks"]["default"]["aliases"] == [f"{subgraph}-replicas"]
        assert router_env[f"{subgraph.upper()}_SUBGRAPH_URL"] == (
            f"http://{subgraph}-replicas:{port}/graphql"
        )
