"""The first task statement's rule: a purchase succeeds if and only if the price is below 50."""

from decimal import Decimal

import pytest
from fedshop_common.events import PurchaseStatus
from fedshop_purchases.pricing import decide_status


@pytest.mark.parametrize(
    ("price", "status"),
    [
        ("0.01", PurchaseStatus.SUCCEEDED),
        ("49.99", PurchaseStatus.SUCCEEDED),
        ("50", PurchaseStatus.REJECTED),
        ("50.00", PurchaseStatus.REJECTED),
        ("50.01", PurchaseStatus.REJECTED),
        ("1000", PurchaseStatus.REJECTED),
    ],
)
def test_below_50_succeeds_and_50_or_more_is_rejected(price, status):
    assert decide_status(Decimal(price)) == status
