"""The consumer of `purchases.payments`: the payment worker's outcome settles the order."""

import structlog
from aio_pika.abc import AbstractIncomingMessage
from fedshop_common.errors import NotFound
from fedshop_common.events import PaymentCompleted
from fedshop_common.messaging import PoisonMessage, parse_event

from fedshop_purchases.orders.service import OrdersService

log = structlog.get_logger()


def payments_handler(orders: OrdersService):  # noqa: ANN201
    async def handle(message: AbstractIncomingMessage) -> None:
        payment = parse_event(message, PaymentCompleted)
        try:
            await orders.settle_payment(payment)
        except NotFound as error:  # an order this service never placed
            raise PoisonMessage(str(error)) from error

    return handle
