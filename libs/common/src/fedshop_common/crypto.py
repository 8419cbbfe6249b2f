"""The tokens the shop accepts and where it is paid: one setting read by the shop (which shows
prices and addresses) and by the payment worker (which checks transactions against them).

The ledger is simulated (`fakes/quotes` serves one): a transaction is looked up by its hash at
`LEDGER_URL`/ledger/transactions/<hash>."""

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

NAMES = {"BTC": "Bitcoin", "ETH": "Ethereum", "SOL": "Solana"}

# Demo receiving addresses (a simulated ledger has no real ones); CRYPTO_ADDRESSES replaces them.
DEMO_ADDRESSES = (
    "BTC=bc1qfedshop0demo0address0btc0000000000000,"
    "ETH=0xFed5h0p0000000000000000000000000000dE30,"
    "SOL=FedShop1111111111111111111111111111111Demo"
)


class CryptoSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    # `SYMBOL=address` pairs, comma separated: the tokens accepted and the shop's address for each.
    crypto_addresses: str = DEMO_ADDRESSES
    # The (simulated) ledger where transactions are looked up by hash.
    ledger_url: str = "http://127.0.0.1:4006"

    @field_validator("crypto_addresses")
    @classmethod
    def _pairs(cls, value: str) -> str:
        for pair in filter(None, (part.strip() for part in value.split(","))):
            symbol, _, address = pair.partition("=")
            if not symbol.strip() or not address.strip():
                raise ValueError(f"CRYPTO_ADDRESSES: {pair!r} is not SYMBOL=address")
        return value

    @property
    def addresses(self) -> dict[str, str]:
        """The shop's address per accepted token, in the order configured."""
        pairs = (part.partition("=") for part in self.crypto_addresses.split(",") if part.strip())
        return {symbol.strip().upper(): address.strip() for symbol, _, address in pairs}

    @property
    def symbols(self) -> tuple[str, ...]:
        return tuple(self.addresses)
