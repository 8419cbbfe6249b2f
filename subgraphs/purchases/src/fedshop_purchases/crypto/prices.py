"""Prices in a token for the doors: an amount in USD converted at the latest shared quote."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from fedshop_common.crypto import NAMES
from fedshop_common.events import PaymentDetails

from fedshop_purchases.crypto.quotes import Quote, QuoteBook


@dataclass(frozen=True)
class TokenPrice:
    symbol: str
    amount: Decimal
    usd_rate: Decimal
    quoted_at: datetime
    age_seconds: int

    @classmethod
    def at(cls, quote: Quote, amount: Decimal) -> "TokenPrice":
        return cls(quote.symbol, amount, quote.usd_rate, quote.quoted_at, int(quote.age_seconds()))

    @classmethod
    def due(cls, payment: PaymentDetails) -> "TokenPrice | None":
        """What a crypto order must pay, at the quote it was placed at (None: not crypto)."""
        quote = payment.quote
        if quote is None:
            return None
        age = max(0, int((datetime.now(UTC) - quote.quoted_at).total_seconds()))
        return cls(payment.symbol or "", quote.amount_due, quote.usd_rate, quote.quoted_at, age)


@dataclass(frozen=True)
class Currency:
    symbol: str
    name: str
    address: str  # the shop's, where buyers pay


class CryptoPrices:
    def __init__(self, book: QuoteBook, addresses: dict[str, str]) -> None:
        self._book = book
        self.currencies = [
            Currency(symbol, NAMES.get(symbol, symbol), address)
            for symbol, address in addresses.items()
        ]

    async def price_in(self, usd: Decimal, symbol: str) -> TokenPrice:
        """`usd` in the token (rounded up); Unavailable with no quote yet, InvalidInput for a
        token the shop does not accept."""
        quote = await self._book.latest(symbol)
        return TokenPrice.at(quote, quote.convert(usd))

    async def prices_in(self, amounts: list[Decimal], symbol: str) -> list[TokenPrice]:
        """Many amounts at one quote (one Redis read for a whole list of items)."""
        quote = await self._book.latest(symbol)
        return [TokenPrice.at(quote, quote.convert(usd)) for usd in amounts]

    async def quote(self, symbol: str) -> Quote:
        return await self._book.latest(symbol)
