"""Whether a payment goes through: the simulated processor's rules, from the settings.

A card payment fails when the card is one of `PAYMENT_DECLINED_CARDS`, when the total is over
`PAYMENT_MAX_TOTAL`, or when `FAULT_PAYMENTS_DECLINE_RATE` declines it on demand; otherwise it
goes through. A crypto payment goes through when its transaction (looked up on the ledger by the
worker) paid the shop's address for the token at least the amount due at the order's quote, less
`CRYPTO_TOLERANCE`, the quote was at most `QUOTE_MAX_AGE_SECONDS` old when the order was placed,
and no other payment used the transaction (`crypto_outcome`; the worker checks the last).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from fedshop_common.events import PaymentDetails, PaymentMethod, PaymentStatus
from fedshop_common.faults import Faults

from fedshop_payment_worker.ledger import LedgerTransaction
from fedshop_payment_worker.settings import PaymentWorkerSettings

# The buyer reads these (the order's `paymentError`): plain words.
CARD_DECLINED = "card declined"
OVER_THE_LIMIT = "amount over the limit"
UNKNOWN_TRANSACTION = "unknown transaction"
ANOTHER_ADDRESS = "paid to another address"
TRANSACTION_USED = "transaction already used"
NO_QUOTE = "the order has no quote to pay at"


@dataclass(frozen=True)
class Outcome:
    status: PaymentStatus
    reason: str | None = None  # why it failed; None when it succeeded


SUCCEEDED = Outcome(PaymentStatus.SUCCEEDED)


def card_number(card: str | None) -> str:
    """The digits as typed, without the spaces or dashes people group them with."""
    return re.sub(r"[\s-]", "", card or "")


def failed(reason: str) -> Outcome:
    return Outcome(PaymentStatus.FAILED, reason)


@dataclass(frozen=True)
class CryptoRules:
    addresses: dict[str, str]  # the shop's, per token
    tolerance: Decimal = Decimal("0.005")
    quote_max_age_seconds: float = 900.0

    def decide(
        self, payment: PaymentDetails, placed_at: datetime, found: LedgerTransaction | None
    ) -> Outcome:
        """The transaction `found` on the ledger for the order's hash (None: no such hash)."""
        if found is None:
            return failed(UNKNOWN_TRANSACTION)
        symbol = (payment.symbol or "").upper()
        if found.symbol != symbol or found.to != self.addresses.get(symbol):
            return failed(ANOTHER_ADDRESS)
        if payment.quote is None:
            return failed(NO_QUOTE)
        age = (placed_at - payment.quote.quoted_at).total_seconds()
        if age > self.quote_max_age_seconds:
            return failed(f"quote too old: {int(age)} s")
        due = payment.quote.amount_due
        if found.amount < due * (1 - self.tolerance):
            paid = f"{found.amount.normalize():f} {symbol}"
            return failed(f"amount too small: {paid}, {due.normalize():f} due")
        return SUCCEEDED


@dataclass(frozen=True)
class PaymentRules:
    declined_cards: frozenset[str]
    crypto: CryptoRules
    max_total: Decimal | None = None  # None: no limit
    faults: Faults | None = None

    @classmethod
    def from_settings(
        cls, settings: PaymentWorkerSettings, faults: Faults | None = None
    ) -> "PaymentRules":
        cards = {card_number(card) for card in settings.payment_declined_cards.split(",")}
        crypto = CryptoRules(
            settings.addresses, settings.crypto_tolerance, settings.quote_max_age_seconds
        )
        return cls(frozenset(cards - {""}), crypto, settings.payment_max_total, faults)

    def decide(
        self,
        payment: PaymentDetails,
        total: Decimal,
        found: LedgerTransaction | None = None,
        placed_at: datetime | None = None,
    ) -> Outcome:
        """The outcome of a card payment, or of a crypto one given its transaction `found` and
        when the order was placed."""
        if payment.method == PaymentMethod.CRYPTO:
            return self.crypto.decide(payment, placed_at or datetime.now(UTC), found)
        if card_number(payment.card) in self.declined_cards:
            return failed(CARD_DECLINED)
        if self.max_total is not None and total > self.max_total:
            return failed(OVER_THE_LIMIT)
        if self.faults is not None and self.faults.payment_declined():
            return failed(CARD_DECLINED)
        return SUCCEEDED
