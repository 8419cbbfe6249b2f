"""What a sale and a place in its queue look like from outside: the sale's state, and the
ticket (status, places ahead) derived from the rows."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from fedshop_purchases.sale.models import Sale, SaleEntry


class EntryStatus(StrEnum):
    """As stored."""

    WAITING = "waiting"  # not decided yet
    READY = "ready"  # a purchase token was written
    SOLD_OUT = "sold_out"  # no unit was left when its turn came
    USED = "used"  # the purchase token bought the unit


class TicketStatus(StrEnum):
    """As shown: EXPIRED is a READY one whose purchase token has run out."""

    WAITING = "waiting"
    READY = "ready"
    SOLD_OUT = "sold_out"
    USED = "used"
    EXPIRED = "expired"


class SaleState(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    SOLD_OUT = "sold_out"
    OVER = "over"


def sale_state(sale: Sale, now: datetime) -> SaleState:
    if now >= sale.ends_at:
        return SaleState.OVER
    if sale.units_left == 0:
        return SaleState.SOLD_OUT
    if now < sale.starts_at:
        return SaleState.UPCOMING
    return SaleState.OPEN


@dataclass(frozen=True)
class Ticket:
    entry: SaleEntry
    sale: Sale
    now: datetime

    @property
    def status(self) -> TicketStatus:
        entry = self.entry
        if entry.status == EntryStatus.READY and (
            entry.purchase_expires_at is not None and entry.purchase_expires_at <= self.now
        ):
            return TicketStatus.EXPIRED
        return TicketStatus(entry.status)

    @property
    def position(self) -> int:
        """Places ahead still waiting for the worker (0 once decided): the worker decides in
        order, so that is every place between the last decided one and this one."""
        if self.entry.status != EntryStatus.WAITING:
            return 0
        return max(0, self.entry.seq - self.sale.decided - 1)

    @property
    def purchase_token(self) -> str | None:
        return self.entry.purchase_token if self.status == TicketStatus.READY else None
