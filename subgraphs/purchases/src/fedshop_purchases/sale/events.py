"""What the sale publishes: `sale.entered`, one per queue token issued, to the sale worker's
queue (`sale-worker.queue`, declared by the worker: `queues.py`). The entry's place is in the
database, written with the event."""

import uuid

from fedshop_common.events import Event


class SaleEntered(Event):
    sale_id: uuid.UUID
    entry_id: uuid.UUID  # the queue token's `jti`
    user_id: int
    queue_token: str

    @property
    def routing_key(self) -> str:
        return "sale.entered"
