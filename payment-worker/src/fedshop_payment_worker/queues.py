"""The queue this worker consumes, and what it binds on `fedshop.events`."""

from fedshop_common.messaging import QueueSpec

# Orders whose stock is reserved and that wait for their payment.
ORDERS_QUEUE = QueueSpec("payment-worker.orders", ("order.placed",))

QUEUES = (ORDERS_QUEUE,)
