"""Fixtures shared by every test package: isolated stacks that clean up after the run."""

import asyncio

import pytest
from fedshop_common.database import drop_database
from fedshop_common.messaging import delete_namespace

from tests.support import AMQP_URL, Stack, broker_queue_names

DATABASES = ("users", "purchases", "inventory", "emails")


@pytest.fixture(scope="session")
def make_stack():
    """Make a named isolated stack; its databases and broker names are removed after the run."""
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
