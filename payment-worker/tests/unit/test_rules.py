"""The simulated processor's rules, from the settings as the environment gives them."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from fedshop_common.crypto import DEMO_ADDRESSES
from fedshop_common.events import CryptoQuote, PaymentDetails, PaymentStatus
from fedshop_common.faults import Faults
from fedshop_payment_worker.ledger import LedgerTransaction
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


SHOP_ETH = DEMO_ADDRESSES.split(",")[1].split("=")[1]
PLACED = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def crypto(due: str = "0.02", quoted_seconds_before: float = 60) -> PaymentDetails:
    quote = CryptoQuote(
        usd_rate=Decimal("3000"),
        quoted_at=PLACED - timedelta(seconds=quoted_seconds_before),
        amount_due=Decimal(due),
    )
    return PaymentDetails(method="crypto", symbol="ETH", tx_hash="0xabc", quote=quote)


def paid(amount: str, to: str = SHOP_ETH, symbol: str = "ETH") -> LedgerTransaction:
    return LedgerTransaction("0xabc", to, symbol, Decimal(amount))


def reason(payment: PaymentDetails, found: LedgerTransaction | None) -> str | None:
    return rules().decide(payment, Decimal("60"), found, PLACED).reason


def test_a_crypto_payment_needs_a_known_transaction_to_the_shop_in_its_token():
    assert reason(crypto(), paid("0.02")) is None
    assert reason(crypto(), None) == "unknown transaction"
    assert reason(crypto(), paid("0.02", to="0xsomeone")) == "paid to another address"
    assert reason(crypto(), paid("0.02", symbol="SOL")) == "paid to another address"


def test_a_crypto_payment_may_fall_short_by_the_tolerance_only():
    assert reason(crypto("0.02"), paid("0.0199")) is None  # 0.5 % less
    assert reason(crypto("0.02"), paid("0.0198")) == "amount too small: 0.0198 ETH, 0.02 due"
    tight = PaymentRules.from_settings(PaymentWorkerSettings(crypto_tolerance="0"))
    assert tight.decide(crypto("0.02"), Decimal("60"), paid("0.0199"), PLACED).reason == (
        "amount too small: 0.0199 ETH, 0.02 due"
    )


def test_a_crypto_order_priced_at_an_old_quote_is_refused():
    assert reason(crypto(quoted_seconds_before=900), paid("0.02")) is None
    assert reason(crypto(quoted_seconds_before=901), paid("0.02")) == "quote too old: 901 s"


def test_declines_on_demand_read_as_a_declined_card():
    always = Faults("payment-worker", payments_decline_rate=1.0)
    assert rules(always).decide(card(None), Decimal("1")).reason == "card declined"
    never = Faults("payment-worker")
    assert rules(never).decide(card(None), Decimal("1")).reason is None
