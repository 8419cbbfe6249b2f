"""The dead-letter command: `python -m fedshop_common.dlq list|replay QUEUE`.

    python -m fedshop_common.dlq list email-worker.purchases
    python -m fedshop_common.dlq replay email-worker.purchases [--limit 10]

QUEUE is the consumed queue's full name (with its namespace, if any); AMQP_URL as the services.
"""

import argparse
import asyncio
import os

from fedshop_common.messaging.dead_letters import list_dead_letters, replay_dead_letters


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m fedshop_common.dlq", description=__doc__)
    parser.add_argument("action", choices=["list", "replay"])
    parser.add_argument("queue", help="the consumed queue, e.g. email-worker.purchases")
    parser.add_argument("--limit", type=int, default=None, help="at most this many messages")
    parser.add_argument(
        "--amqp-url", default=os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    )
    args = parser.parse_args(argv)
    if args.action == "list":
        total, letters = asyncio.run(list_dead_letters(args.amqp_url, args.queue, args.limit or 20))
        print(f"{total} message(s) in {args.queue}.dlq")
        for letter in letters:
            print(
                f"- {letter.message_id} {letter.type} after {letter.attempts} attempt(s): "
                f"{letter.reason}"
            )
    else:
        moved = asyncio.run(replay_dead_letters(args.amqp_url, args.queue, args.limit))
        print(f"replayed {moved} message(s) from {args.queue}.dlq to {args.queue}")


if __name__ == "__main__":
    main()
