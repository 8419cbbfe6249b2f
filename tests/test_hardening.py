"""Holes closed at the services' doors (issue 20): body limits on every door, lone surrogates
refused before any side effect, and no start-up without the router secret outside dev."""

import asyncio
import json
import uuid

import httpx
import pytest

from tests.graphql_client import execute
from tests.support import VENV_BIN, ServiceProcess, Stack, free_port, post_big


def doors(system) -> dict[str, tuple[str, str]]:
    """Each service's REST door that takes a body (the worker's only doors are health/metrics)."""
    return {
        "users": (system.users_url, "/users"),
        "purchases": (system.purchases_url, "/purchase"),
        "email-worker": (system.email_worker_url, "/health"),
    }


CASES = [
    ("users", True),
    ("users", False),
    ("purchases", True),
    ("purchases", False),
    # The worker's doors (health, metrics) read no body: only a declared length is refused.
    ("email-worker", True),
]


@pytest.mark.parametrize(("service", "declared"), CASES)
async def test_a_50_mb_body_is_refused_with_413_and_the_service_still_answers(
    system, service, declared
):
    base, path = doors(system)[service]
    assert await post_big(f"{base}{path}", declared) == 413
    async with httpx.AsyncClient(timeout=10) as client:
        assert (await client.get(f"{base}/health/live")).status_code == 200


async def test_a_body_under_the_limit_still_works(system):
    async with httpx.AsyncClient(base_url=system.users_url, timeout=10) as client:
        response = await client.post(
            "/users",
            json={"first_name": "Ada", "last_name": "Small", "email": f"{uuid.uuid4().hex}@x.io"},
        )
    assert response.status_code == 201


# --- lone surrogates -----------------------------------------------------------------------
LONE = "\ud800"
PURCHASE_WITH_KEY = """
mutation Buy($userId: ID!, $itemId: ID!, $key: String) {
  purchase(userId: $userId, itemId: $itemId, idempotencyKey: $key) { id status }
}"""
CREATE_USER = """
mutation Create($input: CreateUserInput!) { createUser(input: $input) { id firstName } }"""


async def graphql_raw(url: str, query: str, **variables) -> dict:
    """As a client sends it: JSON with `\\ud800` escapes (gql cannot encode one)."""
    body = json.dumps({"query": query, "variables": variables}, ensure_ascii=True)
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            url, content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code < 500, response.text
    return response.json()


async def purchases_of(system, user_id: str) -> int:
    query = "query($id: ID!) { user(id: $id) { purchases { totalCount } } }"
    result = await execute(system.graphql_url, query, id=user_id)
    return result["user"]["purchases"]["totalCount"]


async def test_a_lone_surrogate_idempotency_key_is_bad_user_input_and_buys_nothing(system):
    before = await purchases_of(system, "6")
    answer = await graphql_raw(
        system.graphql_url, PURCHASE_WITH_KEY, userId="6", itemId="1", key=LONE
    )
    assert answer.get("data") is None, answer
    error = answer["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert "surrogate" in error["message"]
    assert await purchases_of(system, "6") == before


async def test_a_lone_surrogate_in_a_created_users_name_is_refused_on_both_doors(system):
    email = f"{uuid.uuid4().hex}@example.com"
    answer = await graphql_raw(
        system.graphql_url,
        CREATE_USER,
        input={"firstName": f"A{LONE}", "lastName": "B", "email": email},
    )
    assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", answer
    # The same through REST: a 422 naming the field; the JSON escape reaches the server as is.
    body = '{"first_name": "A\\ud800", "last_name": "B", "email": ' + json.dumps(email) + "}"
    async with httpx.AsyncClient(base_url=system.users_url, timeout=10) as client:
        response = await client.post(
            "/users", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["body", "first_name"]
        users = (await client.get("/users")).json()
    assert email not in {user["email"] for user in users}


async def test_a_lone_surrogate_in_a_rest_purchase_changes_nothing(system):
    async with httpx.AsyncClient(base_url=system.purchases_url, timeout=10) as client:
        response = await client.post(
            "/purchase",
            content='{"user_id": 6, "item_id": "\\udfff"}',
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 422


# --- the router secret ---------------------------------------------------------------------
@pytest.mark.parametrize("command", ["fedshop-users", "fedshop-purchases"])
async def test_a_subgraph_refuses_to_start_without_the_router_secret_outside_dev(command):
    stack = Stack("nosecret")
    # Every other secret given, so that the router's is the one missing.
    others = {"SALE_TOKEN_SECRET": "s" * 32, "QUOTES_API_KEY": "key"}
    env = stack.env(
        "users", free_port(), FEDSHOP_ENV="production", ROUTER_SHARED_SECRET="", **others
    )
    process = ServiceProcess(f"{stack.name}-{command}", [str(VENV_BIN / command)], env)
    try:
        for _ in range(300):
            if process.process.poll() is not None:
                break
            await asyncio.sleep(0.1)
        assert process.process.returncode not in (None, 0)
        assert "ROUTER_SHARED_SECRET" in process.log_path.read_text()
    finally:
        process.stop()
