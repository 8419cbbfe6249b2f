"""The quote API's key has a default only in dev (the fake's); outside dev it must be given."""

import pytest
from fedshop_purchases.settings import DEV_QUOTES_API_KEY, PurchasesSettings

SALE_SECRET = {"sale_token_secret": "s" * 32}


def test_the_quote_key_defaults_to_the_fakes_in_dev_only():
    assert PurchasesSettings().quotes_key == DEV_QUOTES_API_KEY
    production = PurchasesSettings(fedshop_env="production", **SALE_SECRET)
    with pytest.raises(ValueError, match="QUOTES_API_KEY must be set outside dev"):
        production.quotes_key  # noqa: B018 (the property raises)
    given = PurchasesSettings(fedshop_env="production", quotes_api_key="k", **SALE_SECRET)
    assert given.quotes_key == "k"


def test_the_accepted_tokens_and_addresses_are_one_setting():
    settings = PurchasesSettings(crypto_addresses="eth=0xabc, BTC=bc1q")
    assert settings.addresses == {"ETH": "0xabc", "BTC": "bc1q"}
    assert settings.symbols == ("ETH", "BTC")
    with pytest.raises(ValueError, match="is not SYMBOL=address"):
        PurchasesSettings(crypto_addresses="ETH")
