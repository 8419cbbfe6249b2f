"""The simulated ledger's demo transactions (`makeTestTransaction`): a buyer's stand-in wallet
for the demo and the tests, paying the shop's address. Off outside dev unless
DEMO_TRANSACTIONS=true; the real chain would need a wallet, not this."""

from dataclasses import dataclass
from decimal import Decimal

import httpx
from fedshop_common.errors import Forbidden, InvalidInput, Unavailable


@dataclass(frozen=True)
class TestTransaction:
    __test__ = False  # not a pytest class

    hash: str
    to: str
    symbol: str
    amount: Decimal


class DemoLedger:
    def __init__(self, url: str, addresses: dict[str, str], enabled: bool) -> None:
        self._url = url.rstrip("/")
        self._addresses = addresses
        self._enabled = enabled

    async def pay_the_shop(self, symbol: str, amount: Decimal) -> TestTransaction:
        if not self._enabled:
            raise Forbidden("demo transactions are off here (DEMO_TRANSACTIONS)")
        symbol = symbol.upper()
        if symbol not in self._addresses:
            raise InvalidInput(f"the shop does not accept {symbol!r}", field="symbol")
        if not amount.is_finite() or amount <= 0:
            raise InvalidInput("the amount must be more than 0", field="amount")
        to = self._addresses[symbol]
        try:
            async with httpx.AsyncClient(timeout=5.0) as client:
                answer = await client.post(
                    f"{self._url}/ledger/transactions",
                    json={"to": to, "symbol": symbol, "amount": str(amount)},
                )
                answer.raise_for_status()
        except httpx.HTTPError as error:
            raise Unavailable(f"the simulated ledger did not answer ({error})") from error
        made = answer.json()
        return TestTransaction(made["hash"], made["to"], made["symbol"], Decimal(made["amount"]))
