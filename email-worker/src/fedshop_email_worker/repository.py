"""Every read and write of the emails tables (`emails` per purchase, `order_emails` per order).

In Core rather than through the ORM's unit of work: each statement compiles once (cached) and
runs once per batch of emails, as an executemany or an `IN`; the worker's hot path is here."""

import uuid
from collections.abc import Iterator, Sequence

from sqlalchemy import Column, Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from fedshop_email_worker.models import TABLES, StoredEmail

Locked = dict[tuple[type, uuid.UUID], StoredEmail]

# What a send leaves on an email (fedshop_email_worker.worker), written back by `record_all`.
SEND_OUTCOME = ("state", "sent_at", "message_id", "smtp_response")


def _by_kind(emails: Sequence[StoredEmail]) -> Iterator[tuple[type[StoredEmail], Table, list]]:
    """The emails grouped by what they are about, each group with its table."""
    for kind in {type(email) for email in emails}:
        yield kind, TABLES[kind], [email for email in emails if type(email) is kind]


def _key_column(table: Table) -> Column:
    [key] = table.primary_key.columns
    return key


async def reserve_all(session: AsyncSession, emails: Sequence[StoredEmail]) -> None:
    """Insert each email in state `reserved`, unless what it is about already has one."""
    for _, table, group in _by_kind(emails):
        await session.execute(
            insert(table).on_conflict_do_nothing(),
            [email.model_dump() for email in group],
        )


async def lock_all(session: AsyncSession, emails: Sequence[StoredEmail]) -> Locked:
    """The stored emails, locked until the transaction ends, in key order (two batches sharing
    emails never deadlock): a second delivery of the same purchase or order waits here, then
    finds the email sent."""
    locked: Locked = {}
    for kind, table, group in _by_kind(emails):
        key = _key_column(table)
        rows = await session.execute(
            select(table)
            .where(key.in_(sorted({email.key for email in group})))
            .order_by(key)
            .with_for_update()
        )
        locked |= {(kind, row._mapping[key.name]): kind(**row._mapping) for row in rows}
    missing = [email.key for email in emails if (type(email), email.key) not in locked]
    if missing:
        raise LookupError(f"no email for {missing}: each was reserved before this")
    return locked


async def record_all(session: AsyncSession, emails: Sequence[StoredEmail]) -> None:
    """Write each email's send outcome (`SEND_OUTCOME`) to its row."""
    for _, table, group in _by_kind(emails):
        await session.execute(
            update(table).where(_key_column(table) == bindparam("email_key")),
            [
                {"email_key": email.key} | {name: getattr(email, name) for name in SEND_OUTCOME}
                for email in group
            ],
        )
