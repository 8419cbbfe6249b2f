"""RabbitMQ mechanism, one job per module: topology, retry policy, connection, publisher,
consumer, dead letters, metrics. No service's names live here."""

from fedshop_common.messaging.consumer import Consumer, PoisonMessage, parse_event
from fedshop_common.messaging.publisher import NotConnected, Publisher
from fedshop_common.messaging.retry import RetryPolicy
from fedshop_common.messaging.topology import QueueSpec, delete_namespace

__all__ = [
    "Consumer",
    "NotConnected",
    "PoisonMessage",
    "Publisher",
    "QueueSpec",
    "RetryPolicy",
    "delete_namespace",
    "parse_event",
]
