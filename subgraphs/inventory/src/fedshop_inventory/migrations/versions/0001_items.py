"""the warehouse's items, seeded with the shop's items of round 1 (the same ids, untracked
stock: unlimited), the applied sales and the outbox

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from fedshop_common.outbox import add_outbox_table

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The items the purchases service seeded (its migrations 0001 and 0002), with their ids: they
# move here as the warehouse's seed; purchases keeps them as its copy, fed by item events.
SEED_ITEMS = [
    (1, "Table", "10.00"),
    (2, "Chair", "20.00"),
    (3, "Lamp", "50.00"),
    (4, "Laptop", "1000.00"),
    (5, "Notebook", "4.99"),
    (6, "Mug", "8.50"),
    (7, "Backpack", "49.99"),
    (8, "Headphones", "79.00"),
    (9, "Monitor", "250.00"),
    (10, "Desk Lamp", "50.01"),
]


def upgrade() -> None:
    items = op.create_table(
        "items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("description", sa.Text(), nullable=False, server_default=""),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
        sa.Column("tracked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("adjusted", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("sold", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.CheckConstraint("price >= 0", name="items_price_not_negative"),
    )
    op.bulk_insert(
        items, [{"id": id_, "name": name, "price": price} for id_, name, price in SEED_ITEMS]
    )
    op.execute("SELECT setval(pg_get_serial_sequence('items', 'id'), (SELECT max(id) FROM items))")
    op.create_table(
        "applied_sales",
        sa.Column("event_id", sa.Uuid(), primary_key=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )
    add_outbox_table()


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("applied_sales")
    op.drop_table("items")
