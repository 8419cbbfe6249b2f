import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, func
from sqlmodel import Field, SQLModel


class User(SQLModel, table=True):
    __tablename__ = "users"
    # One account per address, whatever its case (migration 0002); users without one may be many.
    __table_args__ = (Index("users_email_lower_key", func.lower("email"), unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    # None for a shop customer created by name only (POST /api/user); such a user gets no email.
    email: str | None = Field(default=None, max_length=320)
    role: str = Field(default="customer", max_length=20)
    # Argon2 (pwdlib); None: the user cannot sign in.
    password_hash: str | None = Field(default=None, max_length=300)


class RefreshToken(SQLModel, table=True):
    """One refresh token: only its sha256 is stored. Each use rotates it to a new one of the same
    family; using a rotated token again revokes the whole family (it was stolen or replayed)."""

    __tablename__ = "refresh_tokens"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    family_id: uuid.UUID = Field(index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(sa_type=DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=DateTime(timezone=True))
    rotated_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
