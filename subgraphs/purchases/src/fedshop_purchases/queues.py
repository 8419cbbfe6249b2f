"""The queues this service consumes, and what each binds on `fedshop.events`."""

from fedshop_common.messaging import QueueSpec

EMAIL_STATUS_QUEUE = QueueSpec("purchases.email-status", ("email.*",))
# The warehouse's items and stock movements: the shop's own copy of what it sells.
CATALOG_QUEUE = QueueSpec("purchases.catalog", ("item.*", "stock.*"))

QUEUES = (EMAIL_STATUS_QUEUE, CATALOG_QUEUE)
