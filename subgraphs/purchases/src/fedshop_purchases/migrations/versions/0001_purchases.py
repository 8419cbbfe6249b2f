"""items (seeded), purchases and the outbox

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Both sides of the price rule (< 50 succeeds), and its edge: 49.99 succeeds, 50 does not.
SEED_ITEMS = [
    ("Table", "10.00"),
    ("Chair", "20.00"),
    ("Lamp", "50.00"),
    ("Laptop", "1000.00"),
    ("Notebook", "4.99"),
    ("Mug", "8.50"),
    ("Backpack", "49.99"),
    ("Headphones", "79.00"),
    ("Monitor", "250.00"),
]


def upgrade() -> None:
    items = op.create_table(
        "items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
        sa.CheckConstraint("price >= 0", name="items_price_not_negative"),
    )
    op.bulk_insert(items, [{"name": name, "price": price} for name, price in SEED_ITEMS])
    op.create_table(
        "purchases",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False, index=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=True, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("email_kind", sa.String(20), nullable=True),
        sa.Column("email_recipient", sa.String(320), nullable=True),
        sa.Column("email_subject", sa.String(300), nullable=True),
        sa.Column("email_sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("routing_key", sa.String(100), nullable=False),
        sa.Column("payload", JSONB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )
    # The relay reads only the unpublished rows: keep that read small however long the history.
    op.create_index(
        "outbox_unpublished", "outbox", ["id"], postgresql_where=sa.text("published_at IS NULL")
    )


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("purchases")
    op.drop_table("items")
