import uuid
from datetime import datetime
from typing import ClassVar

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

RESERVED = "reserved"  # the email is rendered and claimed, not yet handed to SMTP
SENT = "sent"  # SMTP accepted it (or, without SMTP, it was logged)
NO_ADDRESS = "no_address"  # the user has no email address: recorded, never sent


class StoredEmail(SQLModel):
    """What every recorded email holds; each table adds the key of what it is about."""

    about: ClassVar[str]  # "purchase" or "order": names the key in Message-IDs and logs

    state: str = Field(default=RESERVED, max_length=20)
    kind: str = Field(max_length=20)
    recipient: str = Field(max_length=320)  # "" when the user has no address
    subject: str = Field(max_length=300)
    body: str  # plain text
    html_body: str
    # The Message-ID header: one per purchase or order, so a rare re-send is the same email.
    message_id: str | None = Field(default=None, max_length=300)
    reserved_at: datetime = Field(sa_type=DateTime(timezone=True))
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    smtp_response: str | None = None  # the server's reply to the message, e.g. its queue id

    @property
    def key(self) -> uuid.UUID:
        raise NotImplementedError


class PurchaseEmail(StoredEmail):
    """A purchase's email as the worker handles it: a plain model (a table model costs its
    instrumentation on every instance, ~50 µs, twice per event; the worker writes in Core)."""

    about: ClassVar[str] = "purchase"

    purchase_id: uuid.UUID = Field(primary_key=True)

    @property
    def key(self) -> uuid.UUID:
        return self.purchase_id


class OrderEmail(StoredEmail):
    """An order's email (its confirmation or its cancellation) as the worker handles it."""

    about: ClassVar[str] = "order"

    order_id: uuid.UUID = Field(primary_key=True)

    @property
    def key(self) -> uuid.UUID:
        return self.order_id


class PurchaseEmailRow(PurchaseEmail, table=True):
    """One email per purchase: the primary key makes a second one impossible."""

    __tablename__ = "emails"


class OrderEmailRow(OrderEmail, table=True):
    """One email per order, whatever the redeliveries."""

    __tablename__ = "order_emails"


# Where each kind of email is stored.
TABLES = {PurchaseEmail: PurchaseEmailRow.__table__, OrderEmail: OrderEmailRow.__table__}
