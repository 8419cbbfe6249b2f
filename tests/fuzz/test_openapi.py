"""Schemathesis against both services' OpenAPI specs, on the running system: whatever a client
sends, no 5xx, and every response matches the documented schema and status codes."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

# Bounded, so that `make test` stays quick; raise it locally to search harder.
EXAMPLES_PER_OPERATION = 30
# Where "valid by the spec, refused by the service" is right: OpenAPI's `format: email` is
# RFC 5321's syntax, and the users service also refuses special-use domains such as `.test`
# (email-validator); an Idempotency-Key is bound to its first purchase, so the fuzzer reusing a
# key for another body gets a 422 that no schema can express; a page's `after` is an opaque
# cursor, so any string is valid by the spec and only the service's own cursors are accepted;
# a checkout's items must differ (JSON Schema cannot say "no item_id twice") and exist, with stock.
STRICTER_THAN_THE_SPEC = {
    "POST /users": [positive_data_acceptance],
    "POST /api/user": [positive_data_acceptance],
    "POST /purchase": [positive_data_acceptance],
    "GET /users": [positive_data_acceptance],
    "GET /api/items": [positive_data_acceptance],
    "POST /api/checkout": [positive_data_acceptance],
}


# The fuzzer's many failed sign-ins and new users count against its own client address (the
# services trust X-Forwarded-For from localhost), not against 127.0.0.1, which the other tests
# share with it.
FUZZER_ADDRESS = {"X-Forwarded-For": "192.0.2.250"}


def fuzz(openapi_url: str) -> list[str]:
    """Each operation of the spec, fuzzed; the operations' labels, for the report."""
    api = schemathesis.openapi.from_url(openapi_url)
    labels = []
    for result in api.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        # schemathesis' pytest plugin does not run on pytest 9 yet; Hypothesis drives it directly.
        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def conforms(case) -> None:
            case.call_and_validate(
                headers=FUZZER_ADDRESS,
                excluded_checks=STRICTER_THAN_THE_SPEC.get(case.operation.label),
            )

        conforms()
    return labels


LISTS = {"users": "GET /users", "purchases": "GET /items", "inventory": "GET /api/items"}


@pytest.mark.parametrize("service", ["users", "purchases", "inventory"])
def test_the_rest_api_conforms_to_its_openapi_spec(system, service):
    base_url = {
        "users": system.users_url,
        "purchases": system.purchases_url,
        "inventory": system.inventory_url,
    }[service]
    operations = fuzz(f"{base_url}/openapi.json")
    assert LISTS[service] in operations
