"""Whether a payment goes through: the simulated processor's rules, from the settings.

A crypto payment is refused until the crypto issue validates transactions. A card payment fails
when the card is one of `PAYMENT_DECLINED_CARDS`, when the total is over `PAYMENT_MAX_TOTAL`, or
when `FAULT_PAYMENTS_DECLINE_RATE` declines it on demand; otherwise it goes through.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from fedshop_common.events import PaymentDetails, PaymentMethod, PaymentStatus
from fedshop_common.faults import Faults

from fedshop_payment_worker.settings import PaymentWorkerSettings

# The buyer reads these (the order's `paymentError`): plain words.
CARD_DECLINED = "card declined"
OVER_THE_LIMIT = "amount over the limit"
CRYPTO_NOT_ACCEPTED = "crypto payments are not accepted yet"


@dataclass(frozen=True)
class Outcome:
    status: PaymentStatus
    reason: str | None = None  # why it failed; None when it succeeded


SUCCEEDED = Outcome(PaymentStatus.SUCCEEDED)


def card_number(card: str | None) -> str:
    """The digits as typed, without the spaces or dashes people group them with."""
    return re.sub(r"[\s-]", "", card or "")


@dataclass(frozen=True)
class PaymentRules:
    declined_cards: frozenset[str]
    max_total: Decimal | None = None  # None: no limit
    faults: Faults | None = None

    @classmethod
    def from_settings(
        cls, settings: PaymentWorkerSettings, faults: Faults | None = None
    ) -> "PaymentRules":
        cards = {card_number(card) for card in settings.payment_declined_cards.split(",")}
        return cls(frozenset(cards - {""}), settings.payment_max_total, faults)

    def decide(self, payment: PaymentDetails, total: Decimal) -> Outcome:
        if payment.method == PaymentMethod.CRYPTO:
            return Outcome(PaymentStatus.FAILED, CRYPTO_NOT_ACCEPTED)
        if card_number(payment.card) in self.declined_cards:
            return Outcome(PaymentStatus.FAILED, CARD_DECLINED)
        if self.max_total is not None and total > self.max_total:
            return Outcome(PaymentStatus.FAILED, OVER_THE_LIMIT)
        if self.faults is not None and self.faults.payment_declined():
            return Outcome(PaymentStatus.FAILED, CARD_DECLINED)
        return SUCCEEDED
