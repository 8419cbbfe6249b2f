"""What the purchases service consumes from the email worker: its reports (`email.*`), of a
purchase's email (`email.sent`) and of an order's (`email.order_sent`)."""

import structlog
from aio_pika.abc import AbstractIncomingMessage
from fedshop_common.errors import NotFound
from fedshop_common.events import EmailSent, OrderEmailSent
from fedshop_common.messaging import PoisonMessage, parse_event

from fedshop_purchases.live import LiveChanges
from fedshop_purchases.orders.service import OrdersService
from fedshop_purchases.service import PurchasesService

log = structlog.get_logger()


def email_status_handler(  # noqa: ANN201
    purchases: PurchasesService, orders: OrdersService, changes: LiveChanges
):
    async def purchase_email(message: AbstractIncomingMessage) -> None:
        email = parse_event(message, EmailSent)
        if await purchases.record_email(email):
            log.info("email recorded", purchase_id=str(email.purchase_id), kind=email.kind)
            await changes.announce(email.purchase_id)

    async def order_email(message: AbstractIncomingMessage) -> None:
        await orders.record_email(parse_event(message, OrderEmailSent))

    reports = {"email.sent": purchase_email, "email.order_sent": order_email}

    async def handle(message: AbstractIncomingMessage) -> None:
        kind = message.type or message.routing_key or ""
        report = reports.get(kind)
        if report is None:
            # A newer email worker may report more than this version knows: not ours to keep.
            log.warning("email report of an unknown kind ignored", type=kind)
            return
        try:
            await report(message)
        except NotFound as error:
            raise PoisonMessage(str(error)) from error

    return handle
