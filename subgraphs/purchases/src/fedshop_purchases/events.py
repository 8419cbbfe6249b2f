"""What the purchases service consumes: the email worker's reports (`email.*`)."""

import structlog
from aio_pika.abc import AbstractIncomingMessage
from fedshop_common.errors import NotFound
from fedshop_common.events import EmailSent
from fedshop_common.messaging import PoisonMessage, parse_event

from fedshop_purchases.live import PurchaseChanges
from fedshop_purchases.service import PurchasesService

log = structlog.get_logger()


def email_status_handler(service: PurchasesService, changes: PurchaseChanges):  # noqa: ANN201
    async def handle(message: AbstractIncomingMessage) -> None:
        email = parse_event(message, EmailSent)
        try:
            recorded = await service.record_email(email)
        except NotFound as error:
            raise PoisonMessage(str(error)) from error
        if recorded:
            log.info("email recorded", purchase_id=str(email.purchase_id), kind=email.kind)
            await changes.announce(email.purchase_id)

    return handle
