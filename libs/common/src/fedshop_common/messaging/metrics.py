"""What the messaging parts count, for every service's `/metrics`."""

from prometheus_client import Counter, Gauge

MESSAGES_PROCESSED = Counter(
    "fedshop_messages_processed", "Messages handled and acknowledged", ["queue"]
)
MESSAGES_FAILED = Counter(
    "fedshop_messages_failed", "Failed attempts at handling a message", ["queue"]
)
MESSAGES_RETRIED = Counter(
    "fedshop_messages_retried", "Messages parked in a delay queue for another attempt", ["queue"]
)
MESSAGES_DEAD_LETTERED = Counter(
    "fedshop_messages_dead_lettered", "Messages parked in the dead-letter queue", ["queue"]
)
MESSAGES_PUBLISHED = Counter(
    "fedshop_messages_published", "Events published and confirmed by the broker", ["routing_key"]
)
QUEUE_DEPTH = Gauge(
    "fedshop_queue_messages",
    "Messages waiting in a queue this service consumes, its delay queues and its DLQ",
    ["queue", "kind"],
)
