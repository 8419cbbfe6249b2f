"""The transactional outbox: an event is written in the same transaction as the change it
reports, and a relay publishes it once committed, marking it sent only after the broker's
confirm. A broker outage delays events; it never drops one.

Order. Identity ids are drawn at INSERT, not at commit, so id order is not commit order. Each row
also records its transaction's id (`txid`), and the relay publishes a row only once every older
transaction has ended (`txid < pg_snapshot_xmin(...)`), in `(txid, id)` order. So the order in
which events leave is fixed: no row committed later can slip in ahead of one already sent, and
no row is skipped. The price: a long transaction anywhere on the server holds the relay back
(the database's `idle_in_transaction_session_timeout` and `statement_timeout` bound that).

Unroutable events. An event that no queue binds is returned by the broker; it is set aside and
tried again every UNROUTABLE_RETRY_SECONDS (a consumer may declare its queue later) without
blocking the events behind it, and counted in `fedshop_outbox_unroutable_total`.
"""

import asyncio
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import sqlalchemy as sa
import structlog
from alembic import op
from prometheus_client import Counter, Gauge
from sqlalchemy import BigInteger, Column, DateTime, Identity, func, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import Field, SQLModel, col

from fedshop_common.database import transaction
from fedshop_common.events import Event
from fedshop_common.messaging.publisher import Publisher
from fedshop_common.tracing import continued_from, current_headers

BATCH_SIZE = 100
# Woken by a commit, the relay waits this long before it reads: the commits of a busy service
# arrive in bursts, and one batch (one transaction) for a burst costs far less CPU than one per
# event (a transaction is ~0.75 ms of CPU here, whatever it holds). Adds that much latency.
WAKE_LINGER_SECONDS = 0.02
UNROUTABLE_RETRY_SECONDS = 30.0
METRICS_EVERY_SECONDS = 5.0
# Only one relay (of any replica) publishes at a time.
RELAY_LOCK = 0x0FED5409

OUTBOX_BACKLOG = Gauge("fedshop_outbox_backlog", "Outbox events not yet published")
OUTBOX_OLDEST_AGE = Gauge(
    "fedshop_outbox_oldest_age_seconds", "Age of the oldest event not yet published"
)
OUTBOX_UNROUTABLE = Counter(
    "fedshop_outbox_unroutable", "Events the broker returned: no queue binds their routing key"
)

log = structlog.get_logger()


def _now() -> datetime:
    return datetime.now(UTC)


class OutboxMessage(SQLModel, table=True):
    __tablename__ = "outbox"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    event_id: uuid.UUID = Field(unique=True)
    routing_key: str = Field(max_length=100)
    payload: dict[str, Any] = Field(sa_type=JSONB)
    created_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))
    published_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    # Set while the event is unroutable: not tried again before then.
    retry_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    attempts: int = 0
    # The trace context of the request that wrote the event (W3C `traceparent`, `tracestate`),
    # sent as AMQP headers: the consumers continue that trace. None when tracing is off.
    headers: dict[str, str] | None = Field(default=None, sa_type=JSONB)
    # `txid xid8 DEFAULT pg_current_xact_id()` lives in the table only (see `add_outbox_table`).


def add_event(session: AsyncSession, event: Event) -> None:
    """The event, in the caller's transaction: stored with the change it reports, or not at all."""
    session.add(
        OutboxMessage(
            event_id=event.event_id,
            routing_key=event.routing_key,
            payload=event.model_dump(mode="json"),
            headers=current_headers(),
        )
    )


def add_outbox_table() -> None:
    """For a service's Alembic migration: the outbox table with its ordering and trace columns."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("event_id", sa.Uuid(), nullable=False, unique=True),
        sa.Column("routing_key", sa.String(100), nullable=False),
        sa.Column("payload", JSONB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
    )
    add_ordering_columns()
    add_headers_column()


def add_ordering_columns() -> None:
    op.execute("ALTER TABLE outbox ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id()")
    op.add_column("outbox", sa.Column("retry_at", sa.DateTime(timezone=True)))
    op.add_column("outbox", sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    op.execute("CREATE INDEX outbox_pending ON outbox (txid, id) WHERE published_at IS NULL")


def add_headers_column() -> None:
    """For a service's Alembic migration: where an event keeps the trace context it was written
    in (nullable: rows written before, or with tracing off, have none)."""
    op.add_column("outbox", sa.Column("headers", JSONB()))


class OutboxRelay:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        publisher: Publisher,
        poll_seconds: float = 1.0,
    ) -> None:
        self._sessions = sessions
        self._publisher = publisher
        self._poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._metrics_due = 0.0

    def wake(self) -> None:
        """An event of this process committed: publish it now, not at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Publish until cancelled. A failure (broker or database away) ends the run; the
        supervisor starts it again after a pause, and the rows wait: none is lost."""
        await self._publisher.wait_connected()
        while True:
            published = await self.publish_pending()
            await self._sample_backlog()
            if published < BATCH_SIZE:
                await self._wait_for_work()

    async def _wait_for_work(self) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)
            await asyncio.sleep(WAKE_LINGER_SECONDS)
        except TimeoutError:
            pass
        self._wake.clear()

    async def publish_pending(self) -> int:
        """Publish one batch in order; return how many were published and marked."""
        published = 0
        async with transaction(self._sessions) as session:
            if not await session.scalar(select(func.pg_try_advisory_xact_lock(RELAY_LOCK))):
                return 0
            for message in await _publishable(session):
                try:
                    # The publish span continues the trace of the request that wrote the row.
                    with continued_from(message.headers):
                        await self._publisher.publish(
                            message.routing_key,
                            json.dumps(message.payload).encode(),
                            message_id=str(message.event_id),
                        )
                except aio_pika.exceptions.DeliveryError:
                    _set_aside(message)
                    continue
                except BaseException:
                    # Keep the marks of the rows already confirmed; the rest go next round. Also
                    # when the service stops mid-batch (cancelled): else the next start would
                    # publish the confirmed ones again.
                    await session.commit()
                    raise
                message.published_at = _now()
                published += 1
        if published:
            log.debug("outbox published", count=published)
        return published

    async def _sample_backlog(self) -> None:
        if time.monotonic() < self._metrics_due:
            return
        self._metrics_due = time.monotonic() + METRICS_EVERY_SECONDS
        async with self._sessions() as session:
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(col(OutboxMessage.created_at))).where(
                        col(OutboxMessage.published_at).is_(None)
                    )
                )
            ).one()
        OUTBOX_BACKLOG.set(count)
        OUTBOX_OLDEST_AGE.set((_now() - oldest).total_seconds() if oldest else 0)


async def _publishable(session: AsyncSession) -> list[OutboxMessage]:
    query = (
        select(OutboxMessage)
        .where(
            col(OutboxMessage.published_at).is_(None),
            (col(OutboxMessage.retry_at).is_(None)) | (col(OutboxMessage.retry_at) <= func.now()),
            text("txid < pg_snapshot_xmin(pg_current_snapshot())"),
        )
        .order_by(text("txid"), col(OutboxMessage.id))
        .limit(BATCH_SIZE)
    )
    return list((await session.scalars(query)).all())


def _set_aside(message: OutboxMessage) -> None:
    message.attempts += 1
    message.retry_at = _now() + timedelta(seconds=UNROUTABLE_RETRY_SECONDS)
    OUTBOX_UNROUTABLE.inc()
    log.warning(
        "event unroutable: no queue binds it yet, set aside",
        routing_key=message.routing_key,
        event_id=str(message.event_id),
        attempts=message.attempts,
        retry_in=UNROUTABLE_RETRY_SECONDS,
    )
