"""The messaging mechanism against a real RabbitMQ: retries through one delay queue per pause,
dead letters with their reason and attempt count, and the replay command."""

import asyncio
import subprocess
import sys

import pytest
from fedshop_common.messaging import Consumer, PoisonMessage, Publisher, QueueSpec, RetryPolicy

from tests.support import AMQP_URL, eventually

SPEC = QueueSpec("tests.messaging", ("test.*",))


@pytest.fixture
async def parts(make_stack):
    stack = make_stack("messaging")
    publisher = Publisher(AMQP_URL, stack.namespace, "tests")
    await publisher.connect()
    consumer = Consumer(AMQP_URL, stack.namespace, "tests", publisher)
    yield stack.namespace, publisher, consumer
    await consumer.close()
    await publisher.close()


async def publish(publisher: Publisher, message_id: str) -> None:
    await publisher.publish("test.happened", b"{}", message_id)


async def test_a_short_pause_never_waits_behind_a_long_one(parts):
    namespace, publisher, consumer = parts
    failures = {"long": 4, "short": 1}  # "long" ends up waiting 4 s; "short" only 0.5 s
    done: list[str] = []

    async def handle(message) -> None:  # noqa: ANN001
        if failures[message.message_id] > 0:
            failures[message.message_id] -= 1
            raise ConnectionError("not yet")
        done.append(message.message_id)

    policy = RetryPolicy(first_delay_seconds=0.5, max_delay_seconds=8, give_up_after_seconds=60)
    consumer.subscribe(SPEC, handle, retry=policy)
    await consumer.start()
    await publish(publisher, "long")

    async def long_in_its_4s_pause() -> bool:
        return failures["long"] == 0

    await eventually(long_in_its_4s_pause, within=15)
    await publish(publisher, "short")

    async def both_done() -> list[str]:
        return done if len(done) == 2 else []

    assert await eventually(both_done, within=20) == ["short", "long"]


async def test_a_message_that_keeps_failing_is_dead_lettered_and_replayed_once_fixed(parts):
    namespace, publisher, consumer = parts
    broken = True
    handled: list[str] = []

    async def handle(message) -> None:  # noqa: ANN001
        if message.message_id == "poison":
            raise PoisonMessage("not a valid Thing")
        if broken:
            raise ValueError("the cause")
        handled.append(message.message_id)

    policy = RetryPolicy(first_delay_seconds=0.1, max_delay_seconds=0.2, give_up_after_seconds=0.3)
    consumer.subscribe(SPEC, handle, retry=policy)
    await consumer.start()
    await publish(publisher, "failing")
    await publish(publisher, "poison")
    queue = SPEC.full_name(namespace)

    def dlq(*args: str) -> str:
        command = [sys.executable, "-m", "fedshop_common.dlq", *args, queue]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=60, env={"AMQP_URL": AMQP_URL}
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    listing = await eventually(parked(dlq, 2), within=20)
    assert "failing test.happened after 3 attempt(s): ValueError('the cause')" in listing
    assert "poison test.happened after 1 attempt(s): not a valid Thing" in listing

    broken = False
    assert "replayed 2 message(s)" in await asyncio.to_thread(dlq, "replay")

    async def failing_handled() -> list[str]:
        return handled

    assert await eventually(failing_handled) == ["failing"]
    # The poison message is poison still: back in the DLQ, once.
    assert (await eventually(parked(dlq, 1))).startswith("1 message(s)")
    await asyncio.sleep(1)
    assert handled == ["failing"]


def parked(dlq, count: int):  # noqa: ANN001, ANN201
    """A probe: the DLQ's listing once it holds `count` messages."""

    async def listing() -> str:
        text = await asyncio.to_thread(dlq, "list")
        return text if text.startswith(f"{count} message(s)") else ""

    return listing
