"""users table and seed users

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SEED_USERS = [
    ("Ada", "Lovelace", "ada.lovelace@example.com"),
    ("Alan", "Turing", "alan.turing@example.com"),
    ("Grace", "Hopper", "grace.hopper@example.com"),
    ("Edsger", "Dijkstra", "edsger.dijkstra@example.com"),
    ("Barbara", "Liskov", "barbara.liskov@example.com"),
]


def upgrade() -> None:
    users = op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
    )
    op.bulk_insert(
        users,
        [{"first_name": f, "last_name": last, "email": e} for f, last, e in SEED_USERS],
    )


def downgrade() -> None:
    op.drop_table("users")
