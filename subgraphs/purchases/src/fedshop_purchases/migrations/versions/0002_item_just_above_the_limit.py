"""an item just above the price limit (50.01), so both edges of the rule can be bought

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
    op.execute(
        sa.text(
            "INSERT INTO items (name, price) VALUES ('Desk Lamp', 50.01) ON CONFLICT DO NOTHING"
        )
    )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM items WHERE name = 'Desk Lamp'"))
