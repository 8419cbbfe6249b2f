"""The simulated processor's rules, from the settings as the environment gives them."""

from decimal import Decimal

import pytest
from fedshop_common.events import PaymentDetails, PaymentStatus
from fedshop_common.faults import Faults
from fedshop_payment_worker.rules import PaymentRules
from fedshop_payment_worker.settings import PaymentWorkerSettings


def rules(faults: Faults | None = None, **env: str) -> PaymentRules:
    return PaymentRules.from_settings(PaymentWorkerSettings(**env), faults)


def card(number: str | None) -> PaymentDetails:
    return PaymentDetails(method="card", card=number)


def test_by_default_one_test_card_is_declined_and_there_is_no_limit():
    default = rules()
    assert default.decide(card("4000000000000002"), Decimal("1")).reason == "card declined"
    assert default.decide(card("4242424242424242"), Decimal("99999999.99")).reason is None
    assert default.decide(card(None), Decimal("5")).status == PaymentStatus.SUCCEEDED


def test_the_declined_cards_are_a_comma_list():
    some = rules(payment_declined_cards="4111 1111 1111 1111, 5555-5555-5555-4444,")
    for number in ("4111111111111111", "5555555555554444", "4111 1111 1111 1111"):
        assert some.decide(card(number), Decimal("1")).reason == "card declined"
    assert some.decide(card("4000000000000002"), Decimal("1")).reason is None
    assert some.decide(card(""), Decimal("1")).reason is None  # an empty entry declines nothing


@pytest.mark.parametrize(
    ("total", "reason"), [("100.00", None), ("100.01", "amount over the limit")]
)
def test_a_total_over_the_limit_fails(total, reason):
    assert rules(payment_max_total="100").decide(card(None), Decimal(total)).reason == reason


def test_an_empty_limit_is_no_limit():
    assert rules(payment_max_total="").max_total is None


def test_crypto_is_not_accepted_yet():
    outcome = rules().decide(PaymentDetails(method="crypto", tx_hash="0xabc"), Decimal("1"))
    assert (outcome.status, outcome.reason) == (
        PaymentStatus.FAILED,
        "crypto payments are not accepted yet",
    )


def test_declines_on_demand_read_as_a_declined_card():
    always = Faults("payment-worker", payments_decline_rate=1.0)
    assert rules(always).decide(card(None), Decimal("1")).reason == "card declined"
    never = Faults("payment-worker")
    assert rules(never).decide(card(None), Decimal("1")).reason is None
