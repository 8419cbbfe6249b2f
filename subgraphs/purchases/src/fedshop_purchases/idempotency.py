"""Idempotency keys (`Idempotency-Key`, `idempotencyKey`), written once for purchases and
checkouts. A key is its user's own: the same key from another user names another purchase or
order. A repeat returns what the first request made; a key reused for something else is a 422."""

import re

from fedshop_common.errors import InvalidInput

IDEMPOTENCY_KEY_MAX_LENGTH = 200
# 1 to 200 characters, no control characters (PostgreSQL refuses NUL); REST documents the same.
IDEMPOTENCY_KEY_PATTERN = rf"^[^\x00-\x1f\x7f]{{1,{IDEMPOTENCY_KEY_MAX_LENGTH}}}$"


class IdempotencyKeyReused(InvalidInput):
    def __init__(self, key: str, what: str = "purchase") -> None:
        super().__init__(
            f"idempotency key {key!r} was used for a different {what}", field="idempotencyKey"
        )


class InvalidIdempotencyKey(InvalidInput):
    def __init__(self) -> None:
        super().__init__(
            f"an idempotency key has 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} printable characters",
            field="idempotencyKey",
        )


def check_key(key: str | None) -> None:
    """Raise unless `key` is absent or a well-formed key."""
    if key is not None and re.fullmatch(IDEMPOTENCY_KEY_PATTERN, key) is None:
        raise InvalidIdempotencyKey()
