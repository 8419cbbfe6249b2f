"""The queues this service consumes, and what each binds on `fedshop.events`."""

from fedshop_common.messaging import QueueSpec

EMAIL_STATUS_QUEUE = QueueSpec("purchases.email-status", ("email.*",))

QUEUES = (EMAIL_STATUS_QUEUE,)
