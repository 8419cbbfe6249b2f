"""identity: roles, Argon2 password hashes, optional email, refresh tokens; demo passwords

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Argon2id of the seeded users' demo password "fedshop-demo" (README); written as a hash so the
# migration needs no hashing library and always stores the same thing.
DEMO_PASSWORD_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$rJipkLEdyGGM+urv7Gi+7A$"
    "mNeMYx6Zv5xd+w0BqzbbZEggc858viVbgNBZoYFo47g"
)
SEEDED_EMAILS = [
    "ada.lovelace@example.com",
    "alan.turing@example.com",
    "grace.hopper@example.com",
    "edsger.dijkstra@example.com",
    "barbara.liskov@example.com",
]


def upgrade() -> None:
    op.add_column(
        "users", sa.Column("role", sa.String(20), nullable=False, server_default="customer")
    )
    op.create_check_constraint("users_role_known", "users", "role IN ('customer', 'admin')")
    op.add_column("users", sa.Column("password_hash", sa.String(300), nullable=True))
    op.alter_column("users", "email", existing_type=sa.String(320), nullable=True)
    users = sa.table("users", sa.column("email"), sa.column("password_hash"))
    op.execute(
        users.update()
        .where(users.c.email.in_(SEEDED_EMAILS))
        .values(password_hash=DEMO_PASSWORD_HASH)
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("family_id", postgresql.UUID(as_uuid=True), nullable=False, index=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("refresh_tokens")
    op.execute("DELETE FROM users WHERE email IS NULL")
    op.alter_column("users", "email", existing_type=sa.String(320), nullable=False)
    op.drop_column("users", "password_hash")
    op.drop_constraint("users_role_known", "users", type_="check")
    op.drop_column("users", "role")
