"""The crypto part of the purchases subgraph: `Query.cryptoCurrencies` and the demo's
`Mutation.makeTestTransaction` (`Item.priceIn` is on `Item`, `Order.cryptoDue` on `Order`)."""

from decimal import Decimal, InvalidOperation

import strawberry
from fedshop_common.errors import InvalidInput

from fedshop_purchases.crypto.types import CryptoCurrency, TestTransaction
from fedshop_purchases.schema_parts import Info


@strawberry.type
class CryptoQuery:
    @strawberry.field(description="The tokens the shop accepts, with its address for each.")
    def crypto_currencies(self, info: Info) -> list[CryptoCurrency]:
        currencies = info.context.request.app.state.crypto.currencies
        return [CryptoCurrency(symbol=c.symbol, name=c.name, address=c.address) for c in currencies]


@strawberry.type
class CryptoMutation:
    @strawberry.mutation(
        description="Dev/demo only (the simulated ledger): pay `amount` of `symbol` to the shop's "
        "address and get the transaction's hash to check out with. FORBIDDEN where demo "
        "transactions are off."
    )
    async def make_test_transaction(
        self, info: Info, symbol: str, amount: float
    ) -> TestTransaction:
        try:
            exact = Decimal(str(amount))
        except InvalidOperation as error:
            raise InvalidInput("the amount is not a number", field="amount") from error
        made = await info.context.request.app.state.ledger.pay_the_shop(symbol, exact)
        return TestTransaction(
            hash=made.hash, to=made.to, symbol=made.symbol, amount=float(made.amount)
        )
