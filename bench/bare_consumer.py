"""Baseline of measurement 5: a bare aio-pika consumer that acks each message and does nothing
else, with the email worker's prefetch. It reads `count` messages from a queue and prints
{"events", "seconds", "per_second"} as JSON, timed from the first delivery to the last ack.

    python -m bench.bare_consumer AMQP_URL QUEUE COUNT PREFETCH
"""

import asyncio
import json
import sys
import time

import aio_pika
from aio_pika.abc import AbstractIncomingMessage


async def consume(url: str, queue_name: str, count: int, prefetch: int) -> dict:
    connection = await aio_pika.connect_robust(url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=prefetch)
        queue = await channel.get_queue(queue_name, ensure=True)
        done = asyncio.Event()
        acked = 0
        first = 0.0

        async def on_message(message: AbstractIncomingMessage) -> None:
            nonlocal acked, first
            first = first or time.perf_counter()
            await message.ack()
            acked += 1
            if acked == count:
                done.set()

        await queue.consume(on_message)
        await done.wait()
        seconds = time.perf_counter() - first
    return {"events": count, "seconds": round(seconds, 3), "per_second": round(count / seconds, 1)}


if __name__ == "__main__":
    url, queue_name, count, prefetch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    print(json.dumps(asyncio.run(consume(url, queue_name, count, prefetch))))
