"""The outbox records each row's transaction id, so the relay publishes in a fixed order, and
can set an unroutable event aside.

Revision ID: 0003
Revises: 0002
"""

from fedshop_common.outbox import add_ordering_columns

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    add_ordering_columns()
