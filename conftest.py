"""Fixtures shared by every test package: isolated stacks that clean up after the run."""

import asyncio

import pytest
from fedshop_common.database import drop_database
from fedshop_common.messaging import delete_namespace

from tests.support import (
    AMQP_URL,
    Stack,
    broker_queue_names,
    check_broker_answers,
    remove_leftover_test_queues,
)

DATABASES = ("users", "purchases", "inventory", "emails", "payments")


@pytest.fixture(scope="session")
def make_stack():
    """Make a named isolated stack; its databases and broker names are removed after the run."""
    try:
        asyncio.run(check_broker_answers())
    except Exception as error:  # noqa: BLE001 - any failure means the same: no usable broker
        pytest.exit(f"RabbitMQ at {AMQP_URL} does not answer ({error!r}): restart it", returncode=3)
    asyncio.run(remove_leftover_test_queues())
    stacks: list[Stack] = []

    def make(name: str) -> Stack:
        stack = Stack(name)
        stacks.append(stack)
        return stack

    yield make
    queues = broker_queue_names() if stacks else []
    for stack in stacks:
        for service in DATABASES:
            drop_database(stack.database_url(service))
        asyncio.run(delete_namespace(AMQP_URL, stack.namespace, queues))
