"""The queues the inventory consumes, and what each binds on `fedshop.events`."""

from fedshop_common.messaging import QueueSpec

# What the shop sold: on hand = adjustments - sold.
SALES_QUEUE = QueueSpec("inventory.sales", ("purchase.succeeded",))

QUEUES = (SALES_QUEUE,)
