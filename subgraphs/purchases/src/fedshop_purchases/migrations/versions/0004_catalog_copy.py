"""items becomes the shop's copy of the warehouse's catalog (the inventory service owns the
items now; its seed is these same items with the same ids): active, the sellable stock (NULL:
untracked, unlimited — every item of round 1), the version of the last item event applied, and
the item events already applied (stock deltas count once each)

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.add_column("items", sa.Column("description", sa.Text(), nullable=False, server_default=""))
    op.add_column(
        "items", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column("items", sa.Column("stock", sa.Integer(), nullable=True))
    op.add_column("items", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_check_constraint("items_stock_not_negative", "items", "stock >= 0")
    # Names are the warehouse's to keep unique; a copy applying events out of order must not
    # trip over a rename that is not there yet.
    op.drop_constraint("items_name_key", "items", type_="unique")
    # A purchase records its units and why it was rejected; every earlier rejection was the
    # price rule's.
    op.add_column(
        "purchases", sa.Column("quantity", sa.Integer(), nullable=False, server_default="1")
    )
    op.add_column("purchases", sa.Column("reason", sa.String(20), nullable=True))
    op.execute("UPDATE purchases SET reason = 'price_limit' WHERE status = 'rejected'")
    op.create_table(
        "applied_events",
        sa.Column("event_id", sa.Uuid(), primary_key=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("applied_events")
    op.drop_column("purchases", "reason")
    op.drop_column("purchases", "quantity")
    op.create_unique_constraint("items_name_key", "items", ["name"])
    op.drop_constraint("items_stock_not_negative", "items")
    for column in ("version", "stock", "active", "description"):
        op.drop_column("items", column)
