"""The price rule of the task statement, in one place."""

from decimal import Decimal

from fedshop_common.events import PurchaseStatus

PRICE_LIMIT = Decimal("50")


def decide_status(price: Decimal) -> PurchaseStatus:
    """A purchase succeeds when the item's price is below 50."""
    return PurchaseStatus.SUCCEEDED if price < PRICE_LIMIT else PurchaseStatus.REJECTED
