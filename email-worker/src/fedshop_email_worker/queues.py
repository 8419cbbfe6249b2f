"""The queues this worker consumes, and what each binds on `fedshop.events`."""

from fedshop_common.messaging import QueueSpec

PURCHASES_QUEUE = QueueSpec("email-worker.purchases", ("purchase.*",))
# Settled orders: a confirmation once paid, a cancellation otherwise.
ORDERS_QUEUE = QueueSpec("email-worker.orders", ("order.paid", "order.cancelled"))

QUEUES = (PURCHASES_QUEUE, ORDERS_QUEUE)
