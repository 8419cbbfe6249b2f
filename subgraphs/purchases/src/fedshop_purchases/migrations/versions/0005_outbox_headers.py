"""Each outbox row keeps the trace context of the request that wrote it (W3C `traceparent`),
which the relay sends in the AMQP headers.

Revision ID: 0005
Revises: 0004
"""

from fedshop_common.outbox import add_headers_column

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    add_headers_column()
