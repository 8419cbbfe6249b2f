"""The queues this service consumes, and what each binds on `fedshop.events`."""

from fedshop_common.messaging import QueueSpec

# The email worker's reports, of purchases (`email.sent`) and orders (`email.order_sent`).
EMAIL_STATUS_QUEUE = QueueSpec("purchases.email-status", ("email.*",))
# The warehouse's items and stock movements: the shop's own copy of what it sells.
CATALOG_QUEUE = QueueSpec("purchases.catalog", ("item.*", "stock.*"))
# The payment worker's outcome for each order.
PAYMENTS_QUEUE = QueueSpec("purchases.payments", ("payment.succeeded", "payment.failed"))

QUEUES = (EMAIL_STATUS_QUEUE, CATALOG_QUEUE, PAYMENTS_QUEUE)
