"""Reading and replaying a dead-letter queue: what failed, why, and putting it back."""

from dataclasses import dataclass

import aio_pika

from fedshop_common.messaging.consumer import copy_message
from fedshop_common.messaging.publishers import broker_user
from fedshop_common.messaging.retry import ATTEMPTS_HEADER, FAILURE_REASON_HEADER
from fedshop_common.messaging.topology import DLQ_SUFFIX

PUBLISH_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class DeadLetter:
    message_id: str | None
    type: str | None
    attempts: int
    reason: str


def _describe(message: aio_pika.abc.AbstractIncomingMessage) -> DeadLetter:
    headers = message.headers or {}
    reason = headers.get(FAILURE_REASON_HEADER)
    if reason is None and headers.get("x-death"):  # dead-lettered by the broker itself
        reason = f"broker: {headers['x-death'][0].get('reason')}"
    return DeadLetter(
        message.message_id, message.type, int(headers.get(ATTEMPTS_HEADER, 0)), str(reason)
    )


async def list_dead_letters(url: str, queue: str, limit: int = 100) -> tuple[int, list[DeadLetter]]:
    """How many messages `queue`'s DLQ holds, and the first `limit` of them (left in place)."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        dlq = await channel.declare_queue(queue + DLQ_SUFFIX, passive=True)
        total = dlq.declaration_result.message_count or 0
        seen = []
        # Taken unacked; closing the channel gives them all back to the queue.
        while len(seen) < limit and (message := await dlq.get(no_ack=False, fail=False)):
            seen.append(_describe(message))
        return total, seen


async def replay_dead_letters(url: str, queue: str, limit: int | None = None) -> int:
    """Move messages from `queue`'s DLQ back to `queue`, each with a fresh attempt count. Each is
    acked in the DLQ only once the broker confirmed its copy: none lost, at worst one twice
    (the consumers are idempotent). Returns how many moved."""
    connection = await aio_pika.connect(url)
    moved = 0
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        dlq = await channel.declare_queue(queue + DLQ_SUFFIX, passive=True)
        await channel.declare_queue(queue, passive=True)
        # Only what is parked now: a message that fails again comes back behind these.
        parked = dlq.declaration_result.message_count or 0
        limit = parked if limit is None else min(limit, parked)
        while moved < limit:
            message = await dlq.get(no_ack=False, fail=False)
            if message is None:
                break
            copy = copy_message(message, {})
            # Consumers checking publishers take back a replay made as their own broker user.
            copy.user_id = broker_user(url)
            copy.headers.pop(ATTEMPTS_HEADER, None)
            reason = copy.headers.pop(FAILURE_REASON_HEADER, None)
            if reason is not None:
                copy.headers["x-replayed-after"] = reason
            await channel.default_exchange.publish(
                copy, queue, mandatory=True, timeout=PUBLISH_TIMEOUT_SECONDS
            )
            await message.ack()
            moved += 1
    return moved
