"""The queue the sale worker consumes (declared by it; its broker user owns `sale-worker.*`)."""

from fedshop_common.messaging import QueueSpec

# Every queue token issued, in the order the entries were written.
SALE_QUEUE = QueueSpec("sale-worker.queue", ("sale.entered",))

QUEUES = (SALE_QUEUE,)
