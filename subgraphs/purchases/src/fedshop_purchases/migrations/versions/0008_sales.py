"""flash sales and their queue entries

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.create_table(
        "sales",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("units_left", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entered", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("decided", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("units >= 1", name="sales_units_positive"),
        # The guard of "never more units than the sale has", whatever the code above it does.
        sa.CheckConstraint("units_left BETWEEN 0 AND units", name="sales_units_left_in_range"),
        sa.CheckConstraint("price >= 0", name="sales_price_not_negative"),
        sa.CheckConstraint("ends_at > starts_at", name="sales_end_after_start"),
        sa.CheckConstraint("decided <= entered", name="sales_decided_entered"),
    )
    op.create_index("sales_newest_first", "sales", [sa.text("created_at DESC"), "id"])
    op.create_table(
        "sale_entries",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("sale_id", sa.Uuid(), sa.ForeignKey("sales.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("queue_token", sa.Text(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("purchase_jti", sa.Uuid()),
        sa.Column("purchase_token", sa.Text()),
        sa.Column("purchase_expires_at", sa.DateTime(timezone=True)),
        sa.Column("order_id", sa.Uuid(), sa.ForeignKey("orders.id")),
        sa.CheckConstraint(
            "status IN ('waiting', 'ready', 'sold_out', 'used')", name="sale_entries_status_known"
        ),
        sa.UniqueConstraint("sale_id", "user_id", name="sale_entries_one_per_user"),
        sa.UniqueConstraint("sale_id", "seq", name="sale_entries_seq"),
    )
    op.create_index("sale_entries_purchase_jti", "sale_entries", ["purchase_jti"], unique=True)


def downgrade() -> None:
    op.drop_table("sale_entries")
    op.drop_table("sales")
