"""orders (checkout: several lines, paid through the payment service) and their lines

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("total", sa.Numeric(18, 2), nullable=False),
        sa.Column("reason", sa.String(20)),
        sa.Column("payment_error", sa.Text()),
        sa.Column("payment", JSONB(), nullable=False),
        sa.Column("buyer", JSONB(), nullable=False),
        sa.Column("idempotency_key", sa.String(200)),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True)),
        sa.Column("email_kind", sa.String(20)),
        sa.Column("email_recipient", sa.String(320)),
        sa.Column("email_subject", sa.String(300)),
        sa.Column("email_sent_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(
            "status IN ('awaiting_payment', 'paid', 'cancelled')", name="orders_status_known"
        ),
        sa.CheckConstraint("total >= 0", name="orders_total_not_negative"),
        sa.UniqueConstraint("user_id", "idempotency_key", name="orders_user_idempotency_key"),
    )
    # A user's orders, newest first (the pages), and the overdue ones (the payment timeout).
    op.create_index("orders_of_user", "orders", ["user_id", sa.text("placed_at DESC"), "id"])
    op.create_index(
        "orders_awaiting_payment",
        "orders",
        ["placed_at"],
        postgresql_where=sa.text("status = 'awaiting_payment'"),
    )
    op.create_table(
        "order_lines",
        sa.Column("order_id", sa.Uuid(), sa.ForeignKey("orders.id"), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(10, 2), nullable=False),
        sa.Column("reserved", sa.Boolean(), nullable=False),
        sa.CheckConstraint("quantity >= 1", name="order_lines_quantity_positive"),
    )


def downgrade() -> None:
    op.drop_table("order_lines")
    op.drop_table("orders")
