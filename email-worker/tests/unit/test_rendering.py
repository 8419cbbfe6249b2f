"""A sold-out rejection has its own wording; a price-limit rejection keeps round 1's."""

import uuid

from fedshop_common.events import (
    ItemSnapshot,
    PurchaseCompleted,
    PurchaseReason,
    PurchaseStatus,
    UserSnapshot,
)
from fedshop_email_worker.rendering import render_email

USER = UserSnapshot(id=1, email="ada@example.com", first_name="Ada", last_name="Lovelace")


def rejected(reason: PurchaseReason | None) -> PurchaseCompleted:
    return PurchaseCompleted(
        purchase_id=uuid.uuid4(),
        status=PurchaseStatus.REJECTED,
        user=USER,
        item=ItemSnapshot(id=1, name="Parrot food", price=5),
        reason=reason,
    )


def test_sold_out_has_its_own_wording():
    email = render_email(rejected(PurchaseReason.OUT_OF_STOCK))
    assert email.kind == "rejection"
    assert email.subject == "Sorry, Parrot food is sold out"
    assert "sold out" in email.text and "sold out" in email.html


def test_price_limit_keeps_the_rejection_wording():
    for reason in (PurchaseReason.PRICE_LIMIT, None):
        email = render_email(rejected(reason))
        assert email.subject == "Your purchase of Parrot food could not be completed"
