"""The queue this worker consumes, and what it binds on `fedshop.events`."""

from fedshop_common.messaging import QueueSpec

PURCHASES_QUEUE = QueueSpec("email-worker.purchases", ("purchase.*",))

QUEUES = (PURCHASES_QUEUE,)
