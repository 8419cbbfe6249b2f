"""The router as the one door: what clients may do through it, what it refuses, and that the
subgraphs answer GraphQL to the router only. Also the shape of the Apollo Router alternative."""

import asyncio
import json
import re
from pathlib import Path

import httpx
import pytest
import websockets
import yaml
from fedshop_common.router_trust import ROUTER_SECRET_HEADER
from gql.transport.exceptions import TransportQueryError

from tests.graphql_client import (
    LAMP,
    PURCHASE,
    PURCHASE_UPDATED,
    TABLE,
    execute,
    follow_over_websocket,
    nodes,
)
from tests.support import ROOT

USER_WITH_PURCHASES = """
query UserWithPurchases($id: ID!) {
  user(id: $id) {
    id firstName email purchases { edges { node { id status item { name price } } } }
  }
  items { id name }
}"""
# The SPA's deepest query, users > edges > node > purchases > edges > node > item > id, is 8
# levels, the limit; a purchase's user's purchases is one page of lists too many.
TOO_DEEP = (
    "{ users { edges { node { purchases { edges { node { user {"
    " purchases { totalCount } } } } } } } } }"
)
DEEPEST_ALLOWED = "{ users { edges { node { purchases { edges { node { item { id } } } } } } } }"
TOO_MANY_TOKENS = "{ users { " + "id " * 1000 + "} }"  # the limit is 1000 tokens
# Users 3 and 4 buy here: test_end_to_end buys for user 2, the browser test for user 5.
BUYER_OVER_WEBSOCKET, BUYER_OVER_SSE = "3", "4"


@pytest.fixture(scope="module")
def router_url(system) -> str:
    return system.graphql_url


async def rest_user(system, user_id: str) -> dict:
    async with httpx.AsyncClient(base_url=system.users_url, timeout=10) as client:
        return (await client.get(f"/users/{user_id}")).json()


async def follow_over_sse(url: str, purchase_id: str, method: str) -> list:
    """The same subscription over Server-Sent Events: a JSON POST as `curl -N` sends it, or a
    GET with the CSRF-prevention header as GraphiQL sends it."""
    request = {"query": PURCHASE_UPDATED, "variables": json.dumps({"id": purchase_id})}
    headers = {"accept": "text/event-stream"}
    if method == "GET":
        arguments = {"params": request, "headers": {**headers, "x-graphql-yoga-csrf": "1"}}
    else:
        request["variables"] = {"id": purchase_id}
        arguments = {"json": request, "headers": headers}
    states, event = [], None
    async with (
        asyncio.timeout(30),
        httpx.AsyncClient(timeout=None) as client,
        client.stream(method, url, **arguments) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event == "next":
                states.append(json.loads(line.removeprefix("data: "))["data"]["purchaseUpdated"])
            if event == "complete":
                break
    return states


async def test_one_query_reads_a_user_from_users_and_their_purchases_from_purchases(system):
    expected = await rest_user(system, "3")
    async with httpx.AsyncClient(base_url=system.purchases_url, timeout=10) as client:
        bought = (await client.post("/purchase", json={"user_id": 3, "item_id": 1})).json()

    data = await execute(system.graphql_url, USER_WITH_PURCHASES, id="3")

    assert data["user"]["firstName"] == expected["first_name"]  # the users subgraph
    assert data["user"]["email"] == expected["email"]
    newest = nodes(data["user"]["purchases"])[0]  # the purchases subgraph, on User
    assert newest == {
        "id": bought["id"],
        "status": "SUCCEEDED",
        "item": {"name": "Table", "price": 10.0},
    }
    assert {"id": TABLE, "name": "Table"} in data["items"]


async def test_the_mutation_and_its_subscription_over_websocket(system):
    buyer = await rest_user(system, BUYER_OVER_WEBSOCKET)

    result = await execute(system.graphql_url, PURCHASE, userId=buyer["id"], itemId=TABLE)
    bought = result["purchase"]
    assert (bought["status"], bought["price"]) == ("SUCCEEDED", 10)
    assert bought["item"] == {"name": "Table"}
    assert bought["user"] == {"firstName": buyer["first_name"]}  # resolved by users

    states = await follow_over_websocket(system.graphql_url, bought["id"])

    assert {state["id"] for state in states} == {bought["id"]}
    assert states[-1]["email"]["kind"] == "CONFIRMATION"
    assert states[-1]["email"]["recipient"] == buyer["email"]
    assert "Table" in states[-1]["email"]["subject"]


@pytest.mark.parametrize("method", ["POST", "GET"])
async def test_the_subscription_over_server_sent_events(router_url, method):
    bought = (await execute(router_url, PURCHASE, userId=BUYER_OVER_SSE, itemId=LAMP))["purchase"]
    assert bought["status"] == "REJECTED"

    states = await follow_over_sse(router_url, bought["id"], method)

    assert states[-1]["status"] == "REJECTED"
    assert states[-1]["email"]["kind"] == "REJECTION"
    assert "Lamp" in states[-1]["email"]["subject"]


async def test_a_too_deep_query_is_refused(router_url):
    with pytest.raises(TransportQueryError, match="Query depth limit of 8 exceeded, found 9"):
        await execute(router_url, TOO_DEEP)
    # The SPA's own nesting (two pages of lists) passes.
    assert nodes((await execute(router_url, DEEPEST_ALLOWED))["users"])


async def test_a_query_of_too_many_tokens_is_refused(router_url):
    with pytest.raises(TransportQueryError, match="Token limit of 1000 exceeded"):
        await execute(router_url, TOO_MANY_TOKENS)


async def test_requests_a_browser_could_forge_cross_site_are_refused(router_url):
    query = {"query": "{ users { totalCount } }"}
    async with httpx.AsyncClient(timeout=10) as client:
        plain_text = await client.post(
            router_url, content=json.dumps(query), headers={"content-type": "text/plain"}
        )
        form = await client.post(router_url, data=query)
        bare_get = await client.get(router_url, params=query)
        preflighted_get = await client.get(
            router_url, params=query, headers={"x-graphql-yoga-csrf": "1"}
        )

    for refused in (plain_text, form, bare_get):
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["message"] == "Required CSRF header(s) not present"
    assert preflighted_get.status_code == 200
    assert preflighted_get.json()["data"]["users"]


async def test_graphiql_health_readiness_and_cors_for_the_spa(system):
    spa_origin = f"http://localhost:{system.spa_port}"  # the router's CORS_ORIGINS in tests
    async with httpx.AsyncClient(base_url=system.router_url, timeout=30) as client:
        graphiql = await client.get("/graphql", headers={"accept": "text/html"})
        health = await client.get("/healthcheck")
        readiness = await client.get("/readiness")
        preflight = await client.options(
            "/graphql",
            headers={
                "origin": spa_origin,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        foreign = await client.post(
            "/graphql", json={"query": "{ items { id } }"}, headers={"origin": "https://evil.test"}
        )

    assert graphiql.status_code == 200
    assert graphiql.headers["content-type"].startswith("text/html")
    assert "<title>fedshop GraphiQL</title>" in graphiql.text
    assert "x-graphql-yoga-csrf" in graphiql.text  # so that its SSE subscriptions pass CSRF
    assert health.status_code == 200
    assert readiness.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == spa_origin
    assert preflight.headers["access-control-allow-credentials"] == "true"
    assert foreign.headers.get("access-control-allow-origin") != "https://evil.test"


@pytest.mark.parametrize("subgraph", ["users", "purchases"])
async def test_a_subgraph_answers_graphql_over_http_to_the_router_only(system, subgraph):
    base = getattr(system, f"{subgraph}_url")
    query = {"query": "{ __typename }"}
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        unsigned = await client.post("/graphql", json=query)
        wrong = await client.post("/graphql", json=query, headers={ROUTER_SECRET_HEADER: "guess"})
        signed = await client.post(
            "/graphql", json=query, headers={ROUTER_SECRET_HEADER: system.router_secret}
        )
        rest = await client.get("/users/1" if subgraph == "users" else "/items")

    for refused in (unsigned, wrong):
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert signed.json() == {"data": {"__typename": "Query"}}
    assert rest.status_code == 200  # REST stays public


async def test_a_subgraph_refuses_an_unsigned_subscription_websocket(system):
    ws_url = f"{system.purchases_url}/graphql".replace("http://", "ws://")
    for headers in ({}, {ROUTER_SECRET_HEADER: "guess"}):
        with pytest.raises(websockets.InvalidStatus) as refused:
            async with websockets.connect(
                ws_url, subprotocols=["graphql-transport-ws"], additional_headers=headers
            ):
                pass
        assert refused.value.response.status_code == 403

    # With the router's secret the same WebSocket serves the subscription.
    bought = (await execute(system.graphql_url, PURCHASE, userId="3", itemId=TABLE))["purchase"]
    signed = {ROUTER_SECRET_HEADER: system.router_secret}
    states = await follow_over_websocket(f"{system.purchases_url}/graphql", bought["id"], signed)
    assert states[-1]["email"]["kind"] == "CONFIRMATION"


# --- Apollo Router, the alternative (not run here: its config and compose override are checked)

APOLLO_CONFIG = ROOT / "router" / "apollo" / "router.yaml"
APOLLO_COMPOSE = ROOT / "docker-compose.apollo.yml"
# Top-level sections of Apollo Router 2.x's configuration that router.yaml may use.
APOLLO_SECTIONS = {
    "supergraph", "sandbox", "homepage", "health_check", "cors", "csrf", "headers",
    "override_subgraph_url", "limits", "traffic_shaping", "include_subgraph_errors",
    "subscription", "telemetry", "tls", "apq",
}  # fmt: skip
ENV_REFERENCE = re.compile(r"\$\{env\.([A-Z_]+)(:-[^}]*)?\}")


def strings_in(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    return [value] if isinstance(value, str) else []


class ComposeLoader(yaml.SafeLoader):
    """PyYAML plus Compose's `!reset` tag, which drops a value set by the file being overridden."""


ComposeLoader.add_constructor("!reset", lambda loader, node: "!reset")


def load_compose(path: Path) -> dict:
    return yaml.load(path.read_text(), Loader=ComposeLoader)


def test_apollo_router_config_has_the_same_door_as_hive_gateway():
    config = yaml.safe_load(APOLLO_CONFIG.read_text())
    subgraphs = yaml.safe_load((ROOT / "supergraph.yaml").read_text())["subgraphs"]

    assert set(config) <= APOLLO_SECTIONS
    assert config["supergraph"]["listen"] == "0.0.0.0:4000"
    assert config["supergraph"]["path"] == "/graphql"
    assert config["cors"]["allow_credentials"] is True
    spa_origins = {"http://localhost:8080", "http://localhost:5173"}  # compose, make dev
    assert spa_origins <= set(config["cors"]["policies"][0]["origins"])
    limits = config["limits"]["router"]
    assert (limits["max_depth"], limits["parser_max_tokens"]) == (8, 1000)  # as Hive Gateway
    for limit in ("max_height", "max_aliases", "max_root_fields"):
        assert isinstance(limits[limit], int) and limits[limit] > 0
    assert set(config["override_subgraph_url"]) == set(subgraphs)
    assert re.fullmatch(r"\d+s", config["traffic_shaping"]["all"]["timeout"])
    inserted = [rule["insert"] for rule in config["headers"]["all"]["request"]["operations"]]
    assert {"name": ROUTER_SECRET_HEADER, "value": "${env.ROUTER_SHARED_SECRET}"} in inserted
    passthrough = config["subscription"]["mode"]["passthrough"]["subgraphs"]
    assert passthrough == {"purchases": {"path": "/graphql", "protocol": "graphql_ws"}}


def test_apollo_router_env_references_are_set_by_compose_or_have_defaults():
    router_env = load_compose(ROOT / "docker-compose.yml")["services"]["router"]["environment"]
    values = strings_in(yaml.safe_load(APOLLO_CONFIG.read_text()))
    references = [ref for value in values for ref in ENV_REFERENCE.findall(value)]
    assert ("ROUTER_SHARED_SECRET", "") in references
    for name, default in references:
        assert default or name in router_env, f"${{env.{name}}} is neither set nor defaulted"


def test_docker_compose_apollo_swaps_the_router_for_the_pinned_official_image():
    override = load_compose(APOLLO_COMPOSE)
    base = load_compose(ROOT / "docker-compose.yml")
    router = override["services"]["router"]

    assert set(override["services"]) == {"router"} and "router" in base["services"]
    # Not docker-compose.yml's Hive Gateway build: one FROM the pinned official image.
    dockerfile = ROOT / router["build"]["context"] / router["build"]["dockerfile"]
    assert dockerfile.is_file()
    [base_image] = re.findall(r"^FROM (\S+)", dockerfile.read_text(), flags=re.M)
    assert re.fullmatch(r"ghcr\.io/apollographql/router:v2\.\d+\.\d+", base_image)
    mounts = {
        volume.split(":")[0]: volume.split(":")[1].removesuffix(":ro")
        for volume in router["volumes"]
    }
    assert mounts == {
        "./router/apollo/router.yaml": "/dist/config/router.yaml",
        "./router/supergraph.graphql": "/dist/schema/supergraph.graphql",
    }
    assert all((ROOT / source).is_file() for source in mounts)
    assert "--config=/dist/config/router.yaml" in router["command"]
    assert "--supergraph=/dist/schema/supergraph.graphql" in router["command"]
    health_port = yaml.safe_load(APOLLO_CONFIG.read_text())["health_check"]["listen"].split(":")[1]
    assert f"/dev/tcp/127.0.0.1/{health_port}" in router["healthcheck"]["test"][-1]
