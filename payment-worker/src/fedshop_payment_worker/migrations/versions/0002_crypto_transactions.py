"""the transaction a crypto payment was made with: one transaction pays one order

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("payments", sa.Column("tx_hash", sa.String(200), nullable=True))
    # The last guard of "never used before": a second order paid by the same transaction cannot
    # be recorded as succeeded (the worker checks first, under a lock on the hash).
    op.create_index(
        "payments_transaction_used_once",
        "payments",
        ["tx_hash"],
        unique=True,
        postgresql_where=sa.text("tx_hash IS NOT NULL AND status = 'succeeded'"),
    )


def downgrade() -> None:
    op.drop_index("payments_transaction_used_once", table_name="payments")
    op.drop_column("payments", "tx_hash")
