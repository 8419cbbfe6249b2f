"""What the inventory consumes: the shop's sales, counted once per event id — a purchase
(`purchase.succeeded`, one item) or a paid order (`order.paid`, every line)."""

import uuid

import structlog
from aio_pika.abc import AbstractIncomingMessage
from fedshop_common.events import OrderSettled, OrderStatus, PurchaseCompleted, PurchaseStatus
from fedshop_common.messaging import PoisonMessage, parse_event

from fedshop_inventory.service import InventoryService

log = structlog.get_logger()


def _sold_lines(message: AbstractIncomingMessage) -> tuple[uuid.UUID, list[tuple[int, int]]]:
    """The event id and the (item id, units) it reports sold; no lines for anything else."""
    kind = message.type or message.routing_key or ""
    if kind.startswith("purchase."):
        sale = parse_event(message, PurchaseCompleted)
        sold = sale.status == PurchaseStatus.SUCCEEDED
        return sale.event_id, [(sale.item.id, sale.quantity)] if sold else []
    if kind.startswith("order."):
        order = parse_event(message, OrderSettled)
        if order.status != OrderStatus.PAID:
            return order.event_id, []
        return order.event_id, [(line.item_id, line.quantity) for line in order.lines]
    raise PoisonMessage(f"unexpected event {kind!r} on the sales queue")


def sales_handler(service: InventoryService):  # noqa: ANN201
    async def handle(message: AbstractIncomingMessage) -> None:
        event_id, lines = _sold_lines(message)
        if lines and await service.record_sale(event_id, lines):
            log.info("sale counted", event_id=str(event_id), lines=lines)

    return handle
