"""Schema-driven GraphQL fuzzing through the router (hypothesis-graphql): whatever valid query or
mutation a client builds from the schema, no server error (5xx) and no unmasked error (a stack
trace, an internal message) comes back. The schema is the router's, by introspection (dev mode)."""

import json
import re

import httpx
from graphql import build_client_schema, get_introspection_query, print_schema
from hypothesis import HealthCheck, given, settings
from hypothesis_graphql import from_schema

EXAMPLES = 100
# Rate limits count against the fuzzer's own address, not 127.0.0.1 (as in test_openapi.py).
FUZZER_ADDRESS = {"X-Forwarded-For": "192.0.2.251"}
LEAKS = re.compile(
    r"Traceback|File \"|sqlalchemy|psycopg|asyncpg|redis\.|aio_pika|pydantic|"
    r"Exception|\bat [\w.<>]+ \(|node_modules|/src/|\.py\b",
    re.IGNORECASE,
)


def router_schema(graphql_url: str) -> str:
    response = httpx.post(graphql_url, json={"query": get_introspection_query()}, timeout=20)
    return print_schema(build_client_schema(response.json()["data"]))


def test_fuzzed_operations_give_no_server_error_and_leak_nothing(system):
    url = system.graphql_url
    schema = router_schema(url)
    seen = {"requests": 0, "with_errors": 0}
    client = httpx.Client(timeout=30, headers=FUZZER_ADDRESS)

    @given(operation=from_schema(schema))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def answers_cleanly(operation: str) -> None:
        response = client.post(url, json={"query": operation})
        seen["requests"] += 1
        assert response.status_code < 500, (operation, response.status_code, response.text[:500])
        body = response.json()
        for error in body.get("errors", []):
            seen["with_errors"] += 1
            text = json.dumps(error)
            assert not LEAKS.search(error.get("message", "")), (operation, text)
            assert "stacktrace" not in text.lower(), (operation, text)
            assert error.get("message") != "Unexpected error.", (operation, text)

    try:
        answers_cleanly()
    finally:
        client.close()
    assert seen["requests"] >= EXAMPLES
