"""An order's email: its kind from its status, its lines and total as money, and why it was
cancelled in the buyer's words."""

import uuid
from decimal import Decimal

import pytest
from fedshop_common.events import OrderLine, OrderSettled, UserSnapshot
from fedshop_email_worker.rendering import render_order_email

USER = UserSnapshot(id=1, email="ada@example.com", first_name="Ada", last_name="Lovelace")


def order(status: str, reason: str | None = None, detail: str | None = None) -> OrderSettled:
    return OrderSettled(
        order_id=uuid.uuid4(),
        status=status,
        user=USER,
        lines=[OrderLine(item_id=1, name="Parrot food", quantity=2, unit_price=Decimal("5"))],
        total=Decimal("10"),
        reason=reason,
        detail=detail,
    )


def test_a_paid_order_is_confirmed_with_money_shown_as_money():
    email = render_order_email(order("paid"))
    assert (email.kind, email.subject) == ("order_confirmation", "Your order is confirmed")
    assert "2 x Parrot food at 5.00 = 10.00" in email.text
    assert "Total: 10.00" in email.text


@pytest.mark.parametrize(
    ("reason", "detail", "why"),
    [
        ("payment_failed", "crypto payments are not accepted yet", "the payment failed: crypto"),
        ("payment_failed", None, "because the payment failed."),
        ("payment_timeout", None, "because it was not paid in time."),
    ],
)
def test_a_cancellation_says_why(reason, detail, why):
    email = render_order_email(order("cancelled", reason, detail))
    assert (email.kind, email.subject) == ("order_cancellation", "Your order was cancelled")
    assert why in email.text
