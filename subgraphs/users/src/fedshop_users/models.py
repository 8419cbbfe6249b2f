from sqlalchemy import Index, func
from sqlmodel import Field, SQLModel


class User(SQLModel, table=True):
    __tablename__ = "users"
    # One account per address, whatever its case (migration 0002).
    __table_args__ = (Index("users_email_lower_key", func.lower("email"), unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    email: str = Field(max_length=320)
