"""Ids as clients send them (GraphQL IDs are strings): None when they cannot name anything."""

import uuid

# PostgreSQL integer ids: a larger number is certainly unknown, never a database error.
MAX_INT_ID = 2**31 - 1


def parse_int_id(raw: object) -> int | None:
    try:
        value = int(str(raw))
    except ValueError:
        return None
    return value if 0 < value <= MAX_INT_ID else None


def parse_uuid(raw: object) -> uuid.UUID | None:
    if isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None
