"""The (simulated) ledger, read by transaction hash: `GET <LEDGER_URL>/ledger/transactions/<hash>`.
An unknown hash is an answer (the payment fails); a ledger that does not answer is not: the
order's message is retried until it does."""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

import httpx


class LedgerUnavailable(Exception):
    """No answer from the ledger: the order cannot be judged yet."""


@dataclass(frozen=True)
class LedgerTransaction:
    hash: str
    to: str
    symbol: str
    amount: Decimal


class Ledger:
    def __init__(self, url: str, timeout_seconds: float) -> None:
        self._client = httpx.AsyncClient(base_url=url.rstrip("/"), timeout=timeout_seconds)

    async def find(self, tx_hash: str) -> LedgerTransaction | None:
        try:
            answer = await self._client.get(f"/ledger/transactions/{quote(tx_hash, safe='')}")
        except httpx.HTTPError as error:
            raise LedgerUnavailable(f"{type(error).__name__}: {error}") from error
        if answer.status_code == 404:
            return None
        if answer.status_code != 200:
            raise LedgerUnavailable(f"HTTP {answer.status_code}")
        found = answer.json()
        return LedgerTransaction(
            found["hash"], found["to"], found["symbol"].upper(), Decimal(str(found["amount"]))
        )

    async def close(self) -> None:
        await self._client.aclose()
