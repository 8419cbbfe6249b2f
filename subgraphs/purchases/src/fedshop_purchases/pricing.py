"""The price rule of the task statement, in one place."""

from decimal import Decimal
from enum import StrEnum

PRICE_LIMIT = Decimal("50")


class PurchaseStatus(StrEnum):
    SUCCEEDED = "succeeded"
    REJECTED = "rejected"


def decide_status(price: Decimal) -> PurchaseStatus:
    """A purchase succeeds when the item's price is below 50."""
    return PurchaseStatus.SUCCEEDED if price < PRICE_LIMIT else PurchaseStatus.REJECTED
