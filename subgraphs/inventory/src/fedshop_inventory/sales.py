"""What the inventory consumes: the shop's sales (`purchase.succeeded`), counted once each."""

import structlog
from aio_pika.abc import AbstractIncomingMessage
from fedshop_common.events import PurchaseCompleted, PurchaseStatus
from fedshop_common.messaging import parse_event

from fedshop_inventory.service import InventoryService

log = structlog.get_logger()


def sales_handler(service: InventoryService):  # noqa: ANN201
    async def handle(message: AbstractIncomingMessage) -> None:
        sale = parse_event(message, PurchaseCompleted)
        if sale.status != PurchaseStatus.SUCCEEDED:
            return
        if await service.record_sale(sale.event_id, sale.item.id, sale.quantity):
            log.info("sale counted", item_id=sale.item.id, units=sale.quantity)

    return handle
