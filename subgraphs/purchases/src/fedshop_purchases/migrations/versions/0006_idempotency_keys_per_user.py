"""An idempotency key is its user's own: unique per (user, key), not across all users (another
user's same key is another purchase, not a 422 that tells them someone used it)

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.drop_constraint("purchases_idempotency_key_key", "purchases", type_="unique")
    op.create_unique_constraint(
        "purchases_user_idempotency_key", "purchases", ["user_id", "idempotency_key"]
    )


def downgrade() -> None:
    op.drop_constraint("purchases_user_idempotency_key", "purchases", type_="unique")
    op.create_unique_constraint("purchases_idempotency_key_key", "purchases", ["idempotency_key"])
