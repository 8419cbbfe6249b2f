import uuid
from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


class Email(SQLModel, table=True):
    """One email per purchase: the primary key makes a second one impossible."""

    __tablename__ = "emails"

    purchase_id: uuid.UUID = Field(primary_key=True)
    kind: str = Field(max_length=20)
    recipient: str = Field(max_length=320)
    subject: str = Field(max_length=300)
    body: str
    sent_at: datetime = Field(sa_type=DateTime(timezone=True))
