"""The GraphQL types of prices in a token (shared by `Item.priceIn` and `Order.cryptoDue`)."""

from datetime import datetime

import strawberry

from fedshop_purchases.crypto.prices import TokenPrice


@strawberry.type(description="An amount in a crypto token, at the quote the shop holds.")
class CryptoPrice:
    symbol: str
    amount: float = strawberry.field(description="In the token, 8 decimals, rounded up.")
    usd_rate: float = strawberry.field(description="USD for one token at this quote.")
    quoted_at: datetime
    age_seconds: int = strawberry.field(description="How old the quote is now.")

    @classmethod
    def of(cls, price: TokenPrice) -> "CryptoPrice":
        return cls(
            symbol=price.symbol,
            amount=float(price.amount),
            usd_rate=float(price.usd_rate),
            quoted_at=price.quoted_at,
            age_seconds=price.age_seconds,
        )


@strawberry.type
class CryptoCurrency:
    symbol: str
    name: str
    address: str = strawberry.field(description="The shop's receiving address for this token.")


@strawberry.type(description="A transaction made on the simulated ledger (demo only).")
class TestTransaction:
    hash: str
    to: str
    symbol: str
    amount: float
