"""Ids as clients send them (GraphQL IDs are strings): None when they cannot name anything.

Strict: ASCII digits in canonical form only. `int()` alone would also take "١" (Arabic-Indic
one), " 1_0 " and "+7", so one id could be spelt many ways (and cached under each)."""

import re
import uuid

# PostgreSQL integer ids: a larger number is certainly unknown, never a database error.
MAX_INT_ID = 2**31 - 1
_CANONICAL_INT = re.compile(r"[1-9][0-9]{0,9}")


def parse_int_id(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _CANONICAL_INT.fullmatch(raw):
        value = int(raw)
    else:
        return None
    return value if 0 < value <= MAX_INT_ID else None


def parse_uuid(raw: object) -> uuid.UUID | None:
    if isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None
