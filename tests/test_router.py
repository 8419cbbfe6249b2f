"""The router as the one door: what clients may do through it, what it refuses, and that the
subgraphs answer GraphQL to the router only. Also the shape of the Apollo Router alternative."""

import asyncio
import json
import os
import re
import subprocess
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
from tests.support import ROOT, ServiceProcess, free_port, post_big

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


# --- hardening (issue 20): limits every mode has, and what production turns off --------------

# 20 aliases of a query that cycles users > purchases > user > purchases: one request asking for
# the whole database many times over.
CYCLIC_ALIASES = (
    "{ "
    + " ".join(
        f"a{n}: users {{ edges {{ node {{ purchases {{ edges {{ node {{"
        f" user {{ id }} }} }} }} }} }} }}"
        for n in range(20)  # over the alias limit, under the token limit
    )
    + " }"
)
# 10 aliases (under the alias limit) of two pages of the largest size, within the depth limit:
# each 1 + 100 users x (2 + 1 + 100 purchases x 2) = 20,301 (connection, edge, node: 1 each).
COSTLY = (
    "{ "
    + " ".join(
        f"c{n}: users(first: 100) {{ edges {{ node {{"
        f" purchases(first: 100) {{ edges {{ node {{ id }} }} }} }} }} }}"
        for n in range(10)
    )
    + " }"
)
SPA_USERS_QUERY = (ROOT / "frontend" / "src" / "graphql" / "users.graphql").read_text()


async def post_graphql(
    url: str, query: str, headers: dict | None = None, **variables
) -> httpx.Response:
    async with httpx.AsyncClient(timeout=20) as client:
        return await client.post(
            url, json={"query": query, "variables": variables}, headers=headers or {}
        )


async def test_the_aliased_cyclic_query_is_refused_with_a_clear_error(router_url):
    response = await post_graphql(router_url, CYCLIC_ALIASES)
    errors = response.json()["errors"]
    assert "data" not in response.json() or response.json()["data"] is None
    assert any("Aliases limit of 15 exceeded" in error["message"] for error in errors), errors


async def test_an_operation_over_the_cost_limit_is_refused_before_any_subgraph_call(router_url):
    response = await post_graphql(router_url, COSTLY)
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "COST_ESTIMATED_TOO_EXPENSIVE", error
    assert "estimated cost 203010, the limit is 5000" in error["message"]
    # The SPA's own operations are well under it.
    assert (await post_graphql(router_url, SPA_USERS_QUERY, first=20)).json()["data"]["users"]


def test_the_cost_counts_a_first_argument_where_there_is_one():
    script = """
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
register('@graphql-hive/importer/hooks', pathToFileURL(process.cwd() + '/'));
const { operationCost } = await import(pathToFileURL(process.cwd() + '/protections.ts').href);
const { buildSchema, parse } = await import('graphql');
const schema = buildSchema(`type Q { users(first: Int): [U!]! page(first: Int = 20): C! }
  type U { id: ID! friends(first: Int): [U!]! } type C { edges: [E!]! } type E { node: U! }
  schema { query: Q }`);
console.log(JSON.stringify([
  operationCost(schema, parse('{ users(first: 3) { friends { id } } }'), {}, 10),
  operationCost(schema,
    parse('query($n: Int) { users(first: $n) { friends(first: 2) { id } } }'), { n: 50 }, 10),
  operationCost(schema, parse('{ a: users { id } b: users { id } }'), {}, 10),
  operationCost(schema, parse('{ page(first: 5) { edges { node { id } } } }'), {}, 10),
  operationCost(schema, parse('{ page { edges { node { id } } } }'), {}, 10),
]));
"""
    probe = ROOT / "router" / ".cost-probe.mjs"
    probe.write_text(script)
    try:
        out = subprocess.run(
            ["node", probe.name], cwd=probe.parent, capture_output=True, text=True, timeout=60
        )
    finally:
        probe.unlink()
    assert out.returncode == 0, out.stderr
    # 3 x (1 + 10 x 1); 50 x (1 + 2 x 1); aliases count twice: 10 + 10; a connection's
    # `first` sizes its edges: 1 + 5 x (1 + 1), and without it the argument's default, 20.
    assert json.loads(out.stdout) == [33, 150, 20, 11, 41]


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_50_mb_body_is_refused_with_413_and_the_router_still_answers(
    system, router_url, declared
):
    assert await post_big(router_url, declared) == 413
    async with httpx.AsyncClient(timeout=10) as client:
        assert (await client.get(f"{system.router_url}/readiness")).status_code == 200


# --- production mode: a second router on the same subgraphs, FEDSHOP_ENV=production -----------

TRUSTED = json.loads((ROOT / "router" / "trusted-documents.json").read_text())
SPA_SUBSCRIPTION = next(doc for doc in TRUSTED.values() if "subscription PurchaseUpdated" in doc)
CAP = 3  # WebSocket connections and subscriptions per client, for the production router here


def router_env(system, port: int, **extra: str) -> dict:
    return {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "USERS_SUBGRAPH_URL": f"{system.users_url}/graphql",
        "PURCHASES_SUBGRAPH_URL": f"{system.purchases_url}/graphql",
        "ROUTER_SHARED_SECRET": system.router_secret,
        **extra,
    }


@pytest.fixture(scope="module")
def production_router(system):
    port = free_port()
    env = router_env(
        system,
        port,
        FEDSHOP_ENV="production",
        MAX_WEBSOCKETS_PER_CLIENT=str(CAP),
        MAX_SUBSCRIPTIONS_PER_CLIENT=str(CAP),
    )
    process = ServiceProcess(
        "production-router", ["node_modules/.bin/hive-gateway", "supergraph"], env, ROOT / "router"
    )
    try:
        process.wait_ready(f"http://127.0.0.1:{port}/readiness")
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        process.stop()


async def token_of(system, email: str, password: str) -> str:
    async with httpx.AsyncClient(base_url=system.users_url, timeout=10) as client:
        response = await client.post("/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


INTROSPECTION = "{ __schema { queryType { name } } }"
TYPO = "{ users { edges { node { firstNam } } } }"


async def test_dev_keeps_introspection_graphiql_and_suggestions(system, router_url):
    assert (await post_graphql(router_url, INTROSPECTION)).json()["data"]["__schema"]
    assert "Did you mean" in (await post_graphql(router_url, TYPO)).text
    async with httpx.AsyncClient(timeout=10) as client:
        page = await client.get(router_url, headers={"accept": "text/html"})
    assert "GraphiQL" in page.text


async def test_production_turns_off_introspection_graphiql_and_suggestions(
    system, production_router
):
    token = await token_of(system, "admin@fedshop.example", "fedshop-admin")
    admin = {"authorization": f"Bearer {token}"}
    introspected = (await post_graphql(production_router, INTROSPECTION, admin)).json()
    assert introspected.get("data") is None and introspected["errors"], introspected
    typo = await post_graphql(production_router, TYPO, admin)
    assert typo.json()["errors"] and "Did you mean" not in typo.text
    async with httpx.AsyncClient(timeout=10) as client:
        page = await client.get(production_router, headers={"accept": "text/html"})
    assert "GraphiQL" not in page.text


async def test_production_accepts_only_the_spas_operations_or_an_admins(system, production_router):
    # The SPA's query as Apollo Client sends it: with __typename added to each selection.
    as_apollo_sends = SPA_USERS_QUERY.replace("id\n", "id\n __typename\n", 1)
    assert (await post_graphql(production_router, as_apollo_sends, first=20)).json()["data"][
        "users"
    ]
    by_hash = next(h for h, doc in TRUSTED.items() if doc.startswith("query Users"))
    async with httpx.AsyncClient(timeout=10) as client:
        hashed = await client.post(
            production_router,
            json={
                "variables": {"first": 20},
                "extensions": {"persistedQuery": {"version": 1, "sha256Hash": by_hash}},
            },
        )
    assert hashed.json()["data"]["users"]

    other = "{ items { id name } }"
    refused = await post_graphql(production_router, other)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_ONLY"
    customer = await token_of(system, "ada.lovelace@example.com", "fedshop-demo")
    as_customer = await post_graphql(
        production_router, other, {"authorization": f"Bearer {customer}"}
    )
    assert as_customer.status_code == 403
    forged = await post_graphql(production_router, other, {"authorization": "Bearer not.a.token"})
    assert forged.status_code == 403
    admin = await token_of(system, "admin@fedshop.example", "fedshop-admin")
    as_admin = await post_graphql(production_router, other, {"authorization": f"Bearer {admin}"})
    assert as_admin.json()["data"]["items"]


async def test_production_router_refuses_to_start_without_the_secret(system):
    env = router_env(system, free_port(), FEDSHOP_ENV="production", ROUTER_SHARED_SECRET="")
    process = ServiceProcess(
        "router-without-secret",
        ["node_modules/.bin/hive-gateway", "supergraph"],
        env,
        ROOT / "router",
    )
    try:
        for _ in range(300):
            if process.process.poll() is not None:
                break
            await asyncio.sleep(0.1)
        assert process.process.returncode not in (None, 0)
        assert "ROUTER_SHARED_SECRET is empty" in process.log_path.read_text()
    finally:
        process.stop()


async def test_websocket_connections_and_subscriptions_per_client_are_capped(
    system, production_router
):
    ws_url = production_router.replace("http://", "ws://")
    sockets = []
    try:
        for _ in range(CAP):
            sockets.append(await websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]))
        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(ws_url, subprotocols=["graphql-transport-ws"])
        assert refused.value.response.status_code == 429
        assert b"too many WebSocket connections" in refused.value.response.body
    finally:
        for socket in sockets:
            await socket.close()
    await asyncio.sleep(0.5)  # the closes reach the router

    # CAP + 1 subscriptions sent at once, on a purchase just made (its email not reported yet:
    # the first CAP stay open until it is).
    async with httpx.AsyncClient(base_url=system.purchases_url, timeout=10) as client:
        bought = (await client.post("/purchase", json={"user_id": 3, "item_id": 1})).json()
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        payload = {"query": SPA_SUBSCRIPTION, "variables": {"id": bought["id"]}}
        for n in range(CAP + 1):
            await socket.send(json.dumps({"id": str(n), "type": "subscribe", "payload": payload}))
        answers: dict[str, list[str]] = {}
        async with asyncio.timeout(20):
            while len(answers) < CAP + 1:
                message = json.loads(await socket.recv())
                answers.setdefault(message["id"], []).append(json.dumps(message))
    refused = [n for n, said in answers.items() if "too many subscriptions" in " ".join(said)]
    assert refused == [str(CAP)], answers
