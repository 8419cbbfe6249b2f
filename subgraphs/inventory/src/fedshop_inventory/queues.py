"""The queues the inventory consumes, and what each binds on `fedshop.events`."""

from fedshop_common.messaging import QueueSpec

# What the shop sold (a purchase, or a paid order's lines): on hand = adjustments - sold.
SALES_QUEUE = QueueSpec("inventory.sales", ("purchase.succeeded", "order.paid"))

QUEUES = (SALES_QUEUE,)
