"""emails are reserved before they are sent: state, HTML body, Message-ID, SMTP reply

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
    # Rows written before this revision were logged at once: they count as sent.
    op.add_column(
        "emails", sa.Column("state", sa.String(20), nullable=False, server_default="sent")
    )
    op.add_column("emails", sa.Column("html_body", sa.Text(), nullable=False, server_default=""))
    op.add_column("emails", sa.Column("message_id", sa.String(300), nullable=True))
    op.add_column("emails", sa.Column("reserved_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("emails", sa.Column("smtp_response", sa.Text(), nullable=True))
    op.execute("UPDATE emails SET reserved_at = sent_at")
    op.alter_column("emails", "reserved_at", nullable=False)
    op.alter_column("emails", "sent_at", nullable=True)
    op.alter_column("emails", "state", server_default=None)
    op.alter_column("emails", "html_body", server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM emails WHERE state <> 'sent'")
    op.alter_column("emails", "sent_at", nullable=False)
    for column in ("smtp_response", "reserved_at", "message_id", "html_body", "state"):
        op.drop_column("emails", column)
