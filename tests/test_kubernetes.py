"""deploy/k8s, checked offline: the dev overlay renders (with a small kustomize renderer of our
own, and with `kubectl kustomize` too where kubectl is installed), every manifest validates
against Kubernetes' schemas (kubernetes-validate, strict), the pieces refer to each other
correctly (selectors, ports, config keys, Ingress backends), and they agree with
docker-compose.yml: the same services, environment variable names and images."""

import copy
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from fedshop_inventory.settings import InventorySettings
from fedshop_purchases.sale.worker import SaleWorkerSettings
from fedshop_purchases.settings import PurchasesSettings
from fedshop_users.settings import UsersSettings

from tests.support import ROOT

K8S = ROOT / "deploy/k8s"
BASE, DEV = K8S / "base", K8S / "overlays/dev"
KUBERNETES_VERSION = "1.30.0"
PYTHON_SERVICES = {
    "users": 4001,
    "purchases": 4002,
    "email-worker": 4003,
    "inventory": 4004,
    "payment-worker": 4005,
    "sale-worker": 4007,
}
# A process of another service's package and image (the sale worker is the purchases service's).
IMAGE_OF = {"sale-worker": "purchases"}
SUBGRAPHS = {"users", "purchases"}
# Compose services that Kubernetes does not run as such: a Service balances the replicas, and
# the dependencies are external (the dev overlay has examples of them).
# broker-accounts is a one-shot: a Job of the dev overlay (a real broker's users are its own).
NOT_DEPLOYMENTS = {"users-replica", "purchases-replica", "balancer", "broker-accounts"}
DEPENDENCIES = {"postgres", "redis", "rabbitmq", "mailpit"}
SETTINGS = {
    "users": UsersSettings,
    "purchases": PurchasesSettings,
    "inventory": InventorySettings,
    "sale-worker": SaleWorkerSettings,
}
CLUSTER_WIDE = {"Namespace"}
# Lists that strategic merge patches merge by name, as kustomize does for these fields.
MERGED_BY_NAME = {"containers", "env", "ports", "volumes", "volumeMounts"}
# Set on Kubernetes only: compose runs in dev mode (default passwords, a plain-HTTP cookie); a
# cluster runs outside dev.
KUBERNETES_ONLY = {
    "users": {"FEDSHOP_ENV", "ADMIN_PASSWORD", "REFRESH_COOKIE_SECURE"},
    "purchases": {"FEDSHOP_ENV"},
    "inventory": {"FEDSHOP_ENV"},
    "sale-worker": {"FEDSHOP_ENV"},
}


# --- a small kustomize: resources, namespace, strategic-merge patches, images ----------------


def _merge(base, patch, key: str = ""):
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for name, value in patch.items():
            merged[name] = _merge(base[name], value, name) if name in base else value
        return merged
    if isinstance(base, list) and isinstance(patch, list) and key in MERGED_BY_NAME:
        merged = [copy.deepcopy(item) for item in base]
        names = [item.get("name") for item in merged]
        for item in patch:
            if item.get("name") in names:
                index = names.index(item["name"])
                merged[index] = _merge(merged[index], item, key)
            else:
                merged.append(item)
        return merged
    return copy.deepcopy(patch)


def _key(resource: dict) -> tuple[str, str]:
    return resource["kind"], resource["metadata"]["name"]


def render(directory: Path) -> list[dict]:
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    resources: list[dict] = []
    for entry in kustomization.get("resources", []):
        path = (directory / entry).resolve()
        if path.is_dir():
            resources += render(path)
        else:
            resources += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    for patch in kustomization.get("patches", []):
        for change in yaml.safe_load_all((directory / patch["path"]).read_text()):
            [index] = [i for i, r in enumerate(resources) if _key(r) == _key(change)]
            resources[index] = _merge(resources[index], change)
    if namespace := kustomization.get("namespace"):
        for resource in resources:
            if resource["kind"] not in CLUSTER_WIDE:
                resource["metadata"]["namespace"] = namespace
    images = {image["name"]: image for image in kustomization.get("images", [])}
    for container in (c for r in resources for c in containers(r)):
        name, _, tag = container["image"].partition(":")
        if name in images:
            change = images[name]
            container["image"] = f"{change.get('newName', name)}:{change.get('newTag', tag)}"
    return resources


def containers(resource: dict) -> list[dict]:
    if resource["kind"] not in ("Deployment", "StatefulSet"):
        return []
    return resource["spec"]["template"]["spec"]["containers"]


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dev() -> list[dict]:
    return render(DEV)


@pytest.fixture(scope="module")
def base() -> list[dict]:
    return render(BASE)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def of_kind(resources: list[dict], kind: str) -> dict[str, dict]:
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("overlay", [BASE, DEV], ids=["base", "dev"])
def test_every_manifest_validates_strictly(overlay):
    resources = render(overlay)
    assert resources
    for resource in resources:
        try:
            kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{_key(resource)}: {error.message} at {list(error.path)}")


def test_our_renderer_agrees_with_kubectl_kustomize(dev):
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: the renderer above is the only one")
    rendered = subprocess.run(
        [kubectl, "kustomize", str(DEV)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    theirs = sorted(yaml.safe_load_all(rendered), key=_key)
    assert theirs == sorted(dev, key=_key)


def test_the_services_of_the_compose_file_are_deployed_with_its_images(base, dev, compose):
    deployments = of_kind(base, "Deployment")
    expected = set(compose["services"]) - NOT_DEPLOYMENTS - DEPENDENCIES
    expected -= {name for name, s in compose["services"].items() if "profiles" in s}
    assert set(deployments) == expected
    for name, deployment in deployments.items():
        [container] = containers(deployment)
        assert container["image"] == f"fedshop/{IMAGE_OF.get(name, name)}:latest"
        build = compose["services"][name]["build"]
        package = build.get("args", {}).get("PACKAGE") if isinstance(build, dict) else None
        if name in PYTHON_SERVICES:
            assert package == f"fedshop-{IMAGE_OF.get(name, name)}"
    examples = {
        c["name"]: c["image"] for s in of_kind(dev, "StatefulSet").values() for c in containers(s)
    }
    assert set(examples) == DEPENDENCIES
    for name, image in examples.items():
        assert image == compose["services"][name]["image"], name
    for name, deployment in of_kind(dev, "Deployment").items():
        assert containers(deployment)[0]["image"] == f"fedshop/{IMAGE_OF.get(name, name)}:dev"


def test_each_container_reads_the_variables_compose_sets(base, compose):
    for name, deployment in of_kind(base, "Deployment").items():
        [container] = containers(deployment)
        names = {variable["name"] for variable in container.get("env", [])}
        extra = KUBERNETES_ONLY.get(name, set())
        assert names == set(compose["services"][name].get("environment", {})) | extra, name
        if extra:  # and each is a setting the service reads
            assert extra <= {field.upper() for field in SETTINGS[name].model_fields}, name


def test_probes_resources_replicas_and_disruption_budgets(base):
    deployments = of_kind(base, "Deployment")
    budgets = of_kind(base, "PodDisruptionBudget")
    for name, deployment in deployments.items():
        [container] = containers(deployment)
        assert {"requests", "limits"} <= set(container["resources"]), name
        assert container["readinessProbe"] and container["livenessProbe"], name
        if name in PYTHON_SERVICES:
            assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
            assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
            # Start-up migrates under the advisory lock: the startup probe waits for it.
            startup = container["startupProbe"]
            assert startup["periodSeconds"] * startup["failureThreshold"] >= 120
            assert container["ports"][0]["containerPort"] == PYTHON_SERVICES[name]
        if name in SUBGRAPHS:
            assert deployment["spec"]["replicas"] == 2, name
        if deployment["spec"]["replicas"] == 1 and name not in budgets:
            continue  # one replica: a budget would only block node drains
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert budgets[name]["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    for name in ("email-worker", "payment-worker"):
        worker = deployments[name]["spec"]["template"]["spec"]
        assert worker["terminationGracePeriodSeconds"] > 30, name  # it drains for up to 30 s


def test_services_ingress_and_config_refer_to_what_exists(dev):
    deployments = of_kind(dev, "Deployment") | of_kind(dev, "StatefulSet")
    services = of_kind(dev, "Service")
    for name, service in services.items():
        [target] = [
            d
            for d in deployments.values()
            if service["spec"]["selector"].items()
            <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        named_ports = {p["name"] for c in containers(target) for p in c["ports"]}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in named_ports, name
    [ingress] = of_kind(dev, "Ingress").values()
    paths = {
        path["path"]: path["backend"]["service"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert set(paths) == {"/", "/graphql"}
    assert paths["/graphql"]["name"] == "router" and paths["/"]["name"] == "frontend"
    for backend in paths.values():
        ports = [p["port"] for p in services[backend["name"]]["spec"]["ports"]]
        assert backend["port"]["number"] in ports
    config_maps, secrets = of_kind(dev, "ConfigMap"), of_kind(dev, "Secret")
    for resource in deployments.values():
        for container in containers(resource):
            for variable in container.get("env", []):
                source = variable.get("valueFrom", {})
                if ref := source.get("configMapKeyRef"):
                    assert ref["key"] in config_maps[ref["name"]]["data"], variable
                if ref := source.get("secretKeyRef"):
                    assert ref["key"] in secrets[ref["name"]]["stringData"], variable
    # The in-cluster names the services call are the Services' names.
    data = config_maps["fedshop-config"]["data"]
    for variable, service in (
        ("USERS_URL", "users"),
        ("USERS_SUBGRAPH_URL", "users"),
        ("PURCHASES_SUBGRAPH_URL", "purchases"),
        ("SMTP_URL", "mailpit"),
    ):
        assert f"//{service}:" in data[variable], variable
    assert data["OTEL_EXPORTER_OTLP_ENDPOINT"] == ""  # tracing off unless configured


def test_the_dev_overlay_puts_everything_in_its_namespace(dev):
    [namespace] = of_kind(dev, "Namespace")
    for resource in dev:
        if resource["kind"] not in CLUSTER_WIDE:
            assert resource["metadata"]["namespace"] == namespace, _key(resource)


def test_the_dev_overlay_settings_parse_and_its_signing_key_loads(dev):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from fedshop_email_worker.settings import EmailWorkerSettings
    from fedshop_payment_worker.settings import PaymentWorkerSettings

    config_maps, secrets = of_kind(dev, "ConfigMap"), of_kind(dev, "Secret")

    def value(variable: dict) -> str:
        source = variable.get("valueFrom")
        if source is None:
            return variable["value"]
        if ref := source.get("configMapKeyRef"):
            return config_maps[ref["name"]]["data"][ref["key"]]
        ref = source["secretKeyRef"]
        return secrets[ref["name"]]["stringData"][ref["key"]]

    classes = {
        **SETTINGS,
        "email-worker": EmailWorkerSettings,
        "payment-worker": PaymentWorkerSettings,
    }
    deployments = of_kind(dev, "Deployment")
    for name, settings_class in classes.items():
        [container] = containers(deployments[name])
        env = {
            variable["name"].lower(): value(variable)
            for variable in container["env"]
            if variable["name"] != "FORWARDED_ALLOW_IPS"  # uvicorn's, not a setting
        }
        settings = settings_class(**env)
        assert settings.port == PYTHON_SERVICES[name]
        if name == "users":
            key = load_pem_private_key(settings.jwt_private_key.encode(), password=None)
            assert isinstance(key, Ed25519PrivateKey)
