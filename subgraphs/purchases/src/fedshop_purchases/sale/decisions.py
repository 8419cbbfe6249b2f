"""The sale worker's rule: entries are decided strictly in their order, each once. A purchase
token while units remain (the counter taken in the same transaction as the decision), sold out
after.

A `sale.entered` message is a prompt to decide every undecided entry up to its own, with
the sale's row locked: whatever order messages arrive in, however often one is redelivered,
and wherever a worker was killed, no place is skipped, none decided twice, no unit given twice.
The consumer acks after the commit."""

import uuid

from fedshop_common.database import transaction
from fedshop_common.errors import NotFound
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_purchases.sale import repository
from fedshop_purchases.sale.models import Sale, SaleEntry
from fedshop_purchases.sale.tickets import EntryStatus
from fedshop_purchases.sale.tokens import SaleTokens, TokenKind, now

# Entries decided per transaction (short locks: entering waits on the sale's row meanwhile).
BATCH = 200


async def decide_through(
    sessions: async_sessionmaker[AsyncSession], tokens: SaleTokens, entry_id: uuid.UUID
) -> tuple[uuid.UUID, int]:
    """Decide the entries of the entry's sale up to this one, in their order: the sale, and how
    many this call decided (0: all were). An entry this database never had: NotFound."""
    async with sessions() as session:
        through = await repository.entry_by_id(session, entry_id)
    if through is None:
        raise NotFound(f"sale entry {entry_id} not found")
    decided = 0
    while True:
        async with transaction(sessions) as session:
            sale = await repository.sale_for_update(session, through.sale_id)
            if sale is None:
                raise NotFound(f"sale {through.sale_id} not found")
            entries = await repository.undecided_up_to(session, sale, through.seq, BATCH)
            if not entries:
                return sale.id, decided
            at = now()
            for entry in entries:
                _decide(sale, entry, tokens)
                entry.decided_at = at
            sale.decided = entries[-1].seq
        decided += len(entries)


def _decide(sale: Sale, entry: SaleEntry, tokens: SaleTokens) -> None:
    if sale.units_left <= 0:
        entry.status = EntryStatus.SOLD_OUT
        return
    sale.units_left -= 1
    entry.status = EntryStatus.READY
    entry.purchase_jti = uuid.uuid4()
    entry.purchase_token, entry.purchase_expires_at = tokens.issue(
        TokenKind.PURCHASE, entry.user_id, sale.id, entry.purchase_jti, now()
    )
